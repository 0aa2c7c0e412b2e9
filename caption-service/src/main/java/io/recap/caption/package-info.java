/** Caption service: serves the promoted captioner over REST. */
package io.recap.caption;
