/**
 * Starting the deep-learning engine: offline mode, thread counts and device discovery,
 * applied once before DJL's PyTorch engine loads its natives.
 */
package io.recap.ml.runtime;
