package io.recap.shapes.match;

/** What a prompt can ask for; a report evaluates only the categories its prompt specifies. */
public enum MatchCategory {
  /** Every prompted object (shape, and colour when given) is present. */
  OBJECT,
  /** Every stated count holds exactly for its shape (and colour); a bare plural means two or more. */
  COUNT,
  /** Every prompted colour appears on some object. Evaluated when the prompt names a colour. */
  COLOUR,
  /**
   * Colours sit on the right shapes: every prompted object is present and no object of a
   * prompted shape wears a colour the prompt does not give that shape. Evaluated when the prompt
   * gives colours to two or more objects, as binding is about keeping them apart.
   */
  COLOUR_BINDING,
  /**
   * Prompted objects have the prompted size: at least as many objects of the class have it as
   * the prompt counts (one if no count). Evaluated when the prompt states a size.
   */
  SIZE,
  /** Every prompted position holds the prompted object. Evaluated when the prompt has positions. */
  POSITION
}
