/**
 * Models brought as TorchScript graphs (a BLIP-shaped captioner, a Stable-Diffusion-shaped pipeline): their
 * configuration file, loading the graphs through DJL without running anything but the graphs, their Hugging Face
 * tokenizers, and the dry run that checks every graph's tensor shapes before a version is published.
 */
package io.recap.ml.torchscript;
