package io.recap.shapes.corpus;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper for manifests and CLI output. */
public final class Json {
  /** Compact, one object per line; unknown fields ignored so manifests can grow. */
  public static final JsonMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  public static final JsonMapper PRETTY = MAPPER.rebuild()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private Json() {}
}
