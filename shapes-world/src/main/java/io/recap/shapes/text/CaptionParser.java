package io.recap.shapes.text;

import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.scene.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads ShapesWorld text (prompts, captions, alt-text) back into a {@link TextScene}.
 *
 * <p>Grammar, which every writer in this package follows: an object phrase is
 * {@code [count] [size] [colour] shape-noun}; whatever follows it up to the next object phrase
 * (its "tail") may add positions ("at the top left and the center") and a size ("(both small)").
 * Positions never precede their object, so attaching them needs no guessing. Punctuation ends an
 * object phrase, so keyword soup such as "red, circle" states a shape without a colour.
 */
public final class CaptionParser {
  private static final Map<String, Shape> SHAPES = Map.ofEntries(
      Map.entry("circle", Shape.CIRCLE), Map.entry("circles", Shape.CIRCLE),
      Map.entry("disc", Shape.CIRCLE), Map.entry("discs", Shape.CIRCLE),
      Map.entry("square", Shape.SQUARE), Map.entry("squares", Shape.SQUARE),
      Map.entry("triangle", Shape.TRIANGLE), Map.entry("triangles", Shape.TRIANGLE),
      Map.entry("cross", Shape.CROSS), Map.entry("crosses", Shape.CROSS));
  private static final Map<String, Size> SIZES = Map.of("large", Size.LARGE, "big", Size.LARGE,
      "small", Size.SMALL, "little", Size.SMALL, "tiny", Size.SMALL);
  private static final Map<String, Integer> COUNTS = Map.of("a", 1, "an", 1, "one", 1,
      "single", 1, "two", 2, "three", 3, "four", 4, "five", 5, "six", 6);
  private static final List<String> FILLERS = List.of("sized", "very", "rather", "fairly",
      "quite");

  private CaptionParser() {}

  public static TextScene parse(String text) {
    List<String> tokens = normalise(CaptionTokenizer.tokenize(text));
    List<int[]> anchors = new ArrayList<>(); // {start, end} of each shape noun
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (SHAPES.containsKey(t)) {
        anchors.add(new int[] {i, i});
      } else if (t.equals("plus") && i + 1 < tokens.size()
          && (tokens.get(i + 1).equals("sign") || tokens.get(i + 1).equals("signs"))) {
        anchors.add(new int[] {i, i + 1});
        i++;
      }
    }
    List<Mention> mentions = new ArrayList<>();
    int[] starts = new int[anchors.size()];
    Object[][] heads = new Object[anchors.size()][];
    for (int a = 0; a < anchors.size(); a++) {
      int limit = a == 0 ? 0 : anchors.get(a - 1)[1] + 1;
      heads[a] = head(tokens, anchors.get(a)[0], limit);
      starts[a] = (int) heads[a][3];
    }
    for (int a = 0; a < anchors.size(); a++) {
      int[] anchor = anchors.get(a);
      String noun = tokens.get(anchor[1]);
      Shape shape = noun.equals("signs") || noun.equals("sign") ? Shape.CROSS : SHAPES.get(noun);
      boolean plural = noun.endsWith("s") && !noun.equals("cross");
      Colour colour = (Colour) heads[a][0];
      Size size = (Size) heads[a][1];
      Integer count = (Integer) heads[a][2];
      int tailEnd = a + 1 < anchors.size() ? starts[a + 1] : tokens.size();
      List<Cell> cells = new ArrayList<>();
      for (int k = anchor[1] + 1; k < tailEnd; k++) {
        String t = tokens.get(k);
        if (size == null && SIZES.containsKey(t)) {
          size = SIZES.get(t);
        }
        k = position(tokens, k, tailEnd, cells);
      }
      mentions.add(new Mention(shape, colour, size, count, plural, cells));
    }
    return new TextScene(background(tokens), mentions);
  }

  /** Scans back from a shape noun over its modifiers: {colour, size, count, start index}. */
  private static Object[] head(List<String> tokens, int start, int limit) {
    Colour colour = null;
    Size size = null;
    Integer count = null;
    int j = start - 1;
    while (j >= limit) {
      String t = tokens.get(j);
      Colour c = colour(t);
      if (c != null && colour == null && size == null && count == null) {
        colour = c;
      } else if (SIZES.containsKey(t) && size == null && count == null) {
        size = SIZES.get(t);
      } else if (FILLERS.contains(t) && count == null) {
        // "large-sized", "very small": skip the filler word
      } else if (t.equals("of") && j - 1 >= limit && tokens.get(j - 1).equals("pair")
          && count == null) {
        count = 2;
        j--;
      } else if (COUNTS.containsKey(t) && (count == null
          || (count == 1 && t.startsWith("a") && tokens.get(j + 1).equals("single"))
          || (count == 2 && t.equals("a") && tokens.get(j + 1).equals("pair")))) {
        count = count == null ? COUNTS.get(t) : count;
      } else {
        break;
      }
      j--;
    }
    return new Object[] {colour, size, count, j + 1};
  }

  /** Reads a position phrase starting at k, if any; returns the last index consumed. */
  private static int position(List<String> tokens, int k, int end, List<Cell> cells) {
    String t = tokens.get(k);
    String next = k + 1 < end ? tokens.get(k + 1) : "";
    int row;
    if (t.equals("top") || t.equals("upper")) {
      row = 0;
    } else if (t.equals("bottom") || t.equals("lower")) {
      row = 2;
    } else if (t.equals("left") || t.equals("right")) {
      cells.add(Cell.at(1, t.equals("left") ? 0 : 2));
      return k;
    } else if (t.equals("center") || t.equals("middle")) {
      if (next.equals("left") || next.equals("right")) {
        cells.add(Cell.at(1, next.equals("left") ? 0 : 2));
        return k + 1;
      }
      cells.add(Cell.CENTER);
      return k;
    } else {
      return k;
    }
    switch (next) {
      case "left" -> cells.add(Cell.at(row, 0));
      case "right" -> cells.add(Cell.at(row, 2));
      case "center", "middle" -> cells.add(Cell.at(row, 1));
      default -> {
        cells.add(Cell.at(row, 1));
        return k;
      }
    }
    return k + 1;
  }

  private static Background background(List<String> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
      switch (t) {
        case "white" -> { return Background.WHITE; }
        case "black" -> { return Background.BLACK; }
        case "beige" -> { return Background.BEIGE; }
        case "light" -> {
          if (next.equals("grey")) {
            return Background.LIGHT_GREY;
          }
        }
        case "dark" -> {
          if (next.equals("grey")) {
            return Background.DARK_GREY;
          }
        }
        default -> { }
      }
    }
    return null;
  }

  private static Colour colour(String token) {
    for (Colour c : Colour.values()) {
      if (c.word().equals(token)) {
        return c;
      }
    }
    return token.equals("violet") ? Colour.PURPLE : null;
  }

  private static List<String> normalise(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      switch (t) {
        case "-" -> { }
        case "centre" -> out.add("center");
        case "gray" -> out.add("grey");
        case "disk" -> out.add("disc");
        case "disks" -> out.add("discs");
        default -> out.add(t);
      }
    }
    return out;
  }
}
