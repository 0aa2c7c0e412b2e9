/**
 * Neural-network blocks DJL 0.36 does not ship: group normalisation, multi-head attention
 * (self, causal and cross), pre-norm transformer layers, position embeddings (of token
 * sequences and of image grids), nearest upsampling and a small convolutional image encoder
 * that emits grid tokens.
 *
 * <p>All blocks extend {@link ai.djl.nn.AbstractBlock} and initialise their children with
 * explicit shapes. Callers run forward passes inside an {@link ai.djl.ndarray.NDScope} (or
 * a short-lived manager): expressions that start from a parameter belong to the model's
 * manager and would otherwise outlive the call.
 */
package io.recap.ml.nn;
