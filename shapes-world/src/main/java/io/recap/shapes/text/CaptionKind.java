package io.recap.shapes.text;

/** The kinds of text a scene carries. */
public enum CaptionKind {
  /** Web-like alt-text: credits, file names, keyword soup, partial or wrong mentions. */
  ALT,
  /** "Human" caption, one short sentence naming every object (shape, colour, count). */
  SHORT,
  /** "Human" caption, 1-2 detailed sentences stating every attribute, at most 77 tokens. */
  LONG,
  /** Accurate, medium-detail captions, several per scene (the MS-COCO analogue). */
  REFERENCE,
  /** Terse, accurate captions: right objects, little detail (the PaLI analogue). */
  PRETRAIN
}
