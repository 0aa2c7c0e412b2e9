package io.recap.shapes.oracle;

/** What the oracle found in one grid cell. */
public enum CellStatus {
  /** Background only. */
  EMPTY,
  /** One object, classified with confidence. */
  OBJECT,
  /** Something is there, but it is no clean ShapesWorld object (a smear, a mix, a straddler). */
  UNPARSEABLE
}
