/**
 * Text about scenes: web-like alt-text with its failure modes, "human" SHORT and LONG captions,
 * reference and pretraining captions, the tokenizer that bounds caption length, the parser that
 * turns such text back into (partial) scenes, and the alt-text coverage measure.
 */
package io.recap.shapes.text;
