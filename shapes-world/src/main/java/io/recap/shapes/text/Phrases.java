package io.recap.shapes.text;

import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.scene.Size;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Word choices shared by the caption writers. Every phrase produced here is one that
 * {@link CaptionParser} reads back, so variety never costs parseability.
 */
final class Phrases {
  private static final String[] NUMBERS = {"no", "one", "two", "three", "four", "five", "six",
      "seven", "eight", "nine"};

  private Phrases() {}

  static String pick(SplittableRandom random, String... options) {
    return options[random.nextInt(options.length)];
  }

  static boolean chance(SplittableRandom random, double p) {
    return random.nextDouble() < p;
  }

  static String number(int n) {
    return NUMBERS[n];
  }

  /** "a"/"an" for the word that follows. */
  static String article(String next) {
    return "aeiou".indexOf(next.charAt(0)) >= 0 ? "an" : "a";
  }

  /** A determiner stating the count: a/an/one/a single, two/a pair of, three, four. */
  static String determiner(int count, String next, SplittableRandom random) {
    if (count == 1) {
      int r = random.nextInt(10);
      return r < 7 ? article(next) : (r < 9 ? "one" : "a single");
    }
    if (count == 2 && chance(random, 0.2)) {
      return "a pair of";
    }
    return number(count);
  }

  /** Shape noun, sometimes a synonym ("disc", "plus sign") for variety. */
  static String shapeNoun(Shape shape, int count, SplittableRandom random, boolean synonyms) {
    boolean plural = count != 1;
    if (synonyms && chance(random, 0.15)) {
      if (shape == Shape.CIRCLE) {
        return plural ? "discs" : "disc";
      }
      if (shape == Shape.CROSS) {
        return plural ? "plus signs" : "plus sign";
      }
    }
    return shape.word(count);
  }

  static String sizeWord(Size size, SplittableRandom random) {
    return size == Size.LARGE ? pick(random, "large", "large", "big")
        : pick(random, "small", "small", "little");
  }

  /** "at the top left", "in the center", "in the top left and bottom right corners", ... */
  static String position(List<Cell> cells, SplittableRandom random) {
    if (cells.size() == 1) {
      return single(cells.get(0), random);
    }
    boolean corners = cells.stream().allMatch(Cell::isCorner);
    String[] names = cells.stream().map(c -> shortName(c, random)).toArray(String[]::new);
    if (corners && chance(random, 0.5)) {
      return "in the " + list(names, random) + " corners";
    }
    return switch (random.nextInt(3)) {
      case 0 -> pick(random, "at the ", "in the ") + list(names, random);
      case 1 -> distributive(cells, random);
      default -> "at the " + String.join(", the ", allButLast(names)) + " and the "
          + names[names.length - 1];
    };
  }

  /** Appends a position phrase to an object phrase; distributive lists get a comma first. */
  static String attach(String object, String position) {
    return object + (position.startsWith("one ") ? ", " : " ") + position;
  }

  /** "one at the top left and one in the center" / "one ..., another ..." */
  private static String distributive(List<Cell> cells, SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(i == cells.size() - 1 ? " and " : ", ");
      }
      String lead = i == 0 ? "one" : (i == cells.size() - 1 ? pick(random, "one", "another")
          : "one");
      out.append(lead).append(' ').append(single(cells.get(i), random));
    }
    return out.toString();
  }

  static String single(Cell cell, SplittableRandom random) {
    return switch (cell) {
      case TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT -> corner(cell, random);
      case TOP_CENTER -> pick(random, "at the top center", "in the top middle", "at the top",
          "at the top centre");
      case BOTTOM_CENTER -> pick(random, "at the bottom center", "in the bottom middle",
          "at the bottom", "at the bottom centre");
      case MIDDLE_LEFT -> pick(random, "on the left", "at the middle left", "in the center left",
          "on the left side");
      case MIDDLE_RIGHT -> pick(random, "on the right", "at the middle right",
          "in the center right", "on the right side");
      case CENTER -> pick(random, "in the center", "in the middle", "at the center",
          "in the centre");
    };
  }

  private static String corner(Cell cell, SplittableRandom random) {
    String vertical = cell.row() == 0 ? pick(random, "top", "top", "upper")
        : pick(random, "bottom", "bottom", "lower");
    String horizontal = cell.column() == 0 ? "left" : "right";
    return switch (random.nextInt(4)) {
      case 0 -> "in the " + vertical + " " + horizontal + " corner";
      case 1 -> "at the " + vertical + " " + horizontal;
      case 2 -> "in the " + vertical + "-" + horizontal + " corner";
      default -> "at the " + vertical + " " + horizontal + " of the image";
    };
  }

  static String shortName(Cell cell, SplittableRandom random) {
    return switch (cell) {
      case TOP_CENTER -> pick(random, "top center", "top middle");
      case BOTTOM_CENTER -> pick(random, "bottom center", "bottom middle");
      case MIDDLE_LEFT -> pick(random, "middle left", "center left");
      case MIDDLE_RIGHT -> pick(random, "middle right", "center right");
      case CENTER -> pick(random, "center", "middle");
      default -> cell.words();
    };
  }

  /** "A, B and C" or "A, B, and C"; {@code items} must not be empty. */
  static String list(String[] items, SplittableRandom random) {
    if (items.length == 1) {
      return items[0];
    }
    String last = items[items.length - 1];
    String head = String.join(", ", allButLast(items));
    boolean oxford = items.length > 2 && chance(random, 0.4);
    return head + (oxford ? ", and " : " and ") + last;
  }

  /** Like {@link #list} with a wider choice of final conjunctions (SHORT captions). */
  static String looseList(String[] items, SplittableRandom random) {
    if (items.length == 1 || chance(random, 0.6)) {
      return list(items, random);
    }
    String last = items[items.length - 1];
    String head = String.join(", ", allButLast(items));
    return head + pick(random, " as well as ", " along with ", " together with ", " with ") + last;
  }

  static String capitalize(String text) {
    return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }

  static String[] allButLast(String[] items) {
    String[] head = new String[items.length - 1];
    System.arraycopy(items, 0, head, 0, head.length);
    return head;
  }
}
