/** The loaded text-to-image model and the bounded gate in front of it. */
package io.recap.generation.inference;
