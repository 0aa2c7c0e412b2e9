/** The loaded text-to-image model, the dynamic batcher in front of it and the batch sampler behind it. */
package io.recap.generation.inference;
