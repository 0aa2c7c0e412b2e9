package io.recap.shapes.corpus;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Corpus splits: the 100 "human" fine-tuning images, the held-out evaluation set, the rest. */
public enum Split {
  TRAIN, HUMAN, EVAL;

  /** Lower case in JSON and on the command line: "train", "human", "eval". */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Split fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
