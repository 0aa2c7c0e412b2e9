package io.recap.shapes.corpus;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.recap.shapes.text.CaptionSet;
import java.util.List;

/** The captions of a manifest line (alt-text sits beside them, as the corpus's own text). */
public record ManifestCaptions(
    @JsonProperty("short") String shortCaption,
    @JsonProperty("long") String longCaption,
    List<String> reference,
    String pretrain) {
  public ManifestCaptions {
    reference = reference == null ? List.of() : List.copyOf(reference);
  }

  static ManifestCaptions of(CaptionSet set) {
    return new ManifestCaptions(set.shortCaption(), set.longCaption(), set.reference(),
        set.pretrain());
  }
}
