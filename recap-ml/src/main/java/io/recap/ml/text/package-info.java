/**
 * Text handling for captions: a word-level tokenizer (lower case, words and punctuation),
 * a {@link io.recap.ml.text.Vocabulary} with special and style-prefix tokens, and a
 * {@link io.recap.ml.text.CaptionTokenizer} that encodes captions into CLIP-sized contexts
 * of at most 77 tokens.
 */
package io.recap.ml.text;
