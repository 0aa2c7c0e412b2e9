/**
 * The RECAP captioner: a convolutional image encoder and an autoregressive transformer
 * decoder conditioned on a style prefix token ({@code <short>}, {@code <long>}, ...), with
 * teacher-forced training, greedy and beam decoding (at most 77 tokens), and persistence of
 * parameters, configuration and vocabulary in one directory.
 */
package io.recap.ml.captioner;
