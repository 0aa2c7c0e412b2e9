package io.recap.shapes.text;

import java.util.List;

/** Every text of one scene, one field per {@link CaptionKind}. */
public record CaptionSet(String altText, String shortCaption, String longCaption,
    List<String> reference, String pretrain) {
  public CaptionSet {
    reference = List.copyOf(reference);
  }

  /** The texts of one kind (several only for REFERENCE). */
  public List<String> texts(CaptionKind kind) {
    return switch (kind) {
      case ALT -> List.of(altText);
      case SHORT -> List.of(shortCaption);
      case LONG -> List.of(longCaption);
      case REFERENCE -> reference;
      case PRETRAIN -> List.of(pretrain);
    };
  }
}
