/** Generation service: serves the promoted text-to-image model over REST. */
package io.recap.generation;
