package io.recap.shapes.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simple tokenizer that defines caption length: lower-cased runs of letters or digits are
 * tokens, and so is every other non-space character (punctuation counts, as it does for CLIP's
 * BPE). "A top-left circle." is 6 tokens: a, top, -, left, circle, ".". LONG captions are kept
 * at or below {@link #MAX_TOKENS}, the CLIP context the paper's 77-token bound refers to.
 */
public final class CaptionTokenizer {
  public static final int MAX_TOKENS = 77;
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}]");

  private CaptionTokenizer() {}

  public static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      tokens.add(m.group());
    }
    return tokens;
  }

  public static int count(String text) {
    return tokenize(text).size();
  }
}
