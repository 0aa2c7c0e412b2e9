/** Conversion between {@link java.awt.image.BufferedImage}s and (B, 3, H, W) model tensors. */
package io.recap.ml.image;
