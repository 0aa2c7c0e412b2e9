package io.recap.shapes.text;

import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.ObjectGroup;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Alt-text that fails the way web alt-text fails: it credits the photographer, repeats the file
 * name, lists stock keywords, or describes some of the objects, sometimes wrongly.
 */
public final class AltTextWriter {
  private static final String[] FIRST = {"J.", "Anna", "M.", "David", "Sofia", "K.", "Liam",
      "Chen", "Olga", "R."};
  private static final String[] LAST = {"Smith", "Novak", "Rossi", "Garcia", "Kim", "Berg",
      "Okafor", "Dubois", "Tanaka", "Miller"};
  private static final String[] AGENCIES = {"Shutterstock", "Getty Images", "iStock",
      "Adobe Stock", "Alamy", "Dreamstime", "123RF"};
  private static final String[] KEYWORDS = {"abstract", "geometric", "background", "design",
      "vector", "shape", "pattern", "modern", "colorful", "minimal", "illustration", "graphic",
      "art", "simple", "element", "template", "flat", "decoration", "concept", "creative"};
  private static final String[] SUFFIXES = {"", "", " icon", " clipart", " - stock vector",
      " illustration", " design element", " vector art"};

  private AltTextWriter() {}

  public static String write(Scene scene, long seed, AltTextConfig config) {
    SplittableRandom random = new SplittableRandom(seed);
    double r = random.nextDouble();
    if (r < config.fileNameRate()) {
      return fileName(random);
    }
    r -= config.fileNameRate();
    if (r < config.keywordRate()) {
      return keywords(random, config);
    }
    r -= config.keywordRate();
    if (r < config.creditRate()) {
      return credit(random);
    }
    String description = describe(scene, random, config);
    if (Phrases.chance(random, config.creditSuffixRate())) {
      description += Phrases.pick(random, " | ", " - ", ". ", " © ") + credit(random);
    }
    return description;
  }

  private static String describe(Scene scene, SplittableRandom random, AltTextConfig config) {
    List<ObjectGroup> groups = scene.groups();
    List<String> items = new ArrayList<>();
    int forced = random.nextInt(groups.size());
    for (int i = 0; i < groups.size(); i++) {
      if (i == forced || Phrases.chance(random, config.objectMentionRate())) {
        items.add(mention(groups.get(i), random, config));
      }
    }
    String list = Phrases.list(items.toArray(String[]::new), random);
    return switch (random.nextInt(6)) {
      case 0 -> Phrases.capitalize(list) + Phrases.pick(random, SUFFIXES);
      case 1 -> Phrases.capitalize(list) + " isolated on " + scene.background().words();
      case 2 -> "Abstract " + list + " " + Phrases.pick(random, "background", "design", "art");
      case 3 -> Phrases.pick(random, "Geometric ", "Colorful ", "Simple ") + list
          + Phrases.pick(random, SUFFIXES);
      case 4 -> fileName(random) + " " + list;
      default -> Phrases.capitalize(list) + ", " + keywordList(random, 3);
    };
  }

  private static String mention(ObjectGroup g, SplittableRandom random, AltTextConfig config) {
    Shape shape = g.shape();
    if (Phrases.chance(random, config.wrongShapeRate())) {
      shape = other(Shape.values(), shape, random);
    }
    StringBuilder out = new StringBuilder();
    boolean counted = Phrases.chance(random, config.countRate());
    if (Phrases.chance(random, config.sizeRate())) {
      out.append(g.size().word()).append(' ');
    }
    if (Phrases.chance(random, config.colourRate())) {
      Colour colour = g.colour();
      if (Phrases.chance(random, config.wrongColourRate())) {
        colour = other(Colour.values(), colour, random);
      }
      out.append(colour.word()).append(' ');
    }
    // Without a stated count the noun is bare: "red circle" says nothing about how many.
    out.append(counted ? shape.word(g.count()) : shape.word(1));
    String phrase = out.toString();
    if (counted) {
      phrase = Phrases.determiner(g.count(), phrase, random) + " " + phrase;
    }
    if (Phrases.chance(random, config.positionRate())) {
      phrase = Phrases.attach(phrase, Phrases.position(g.cells(), random));
    }
    return phrase;
  }

  static String credit(SplittableRandom random) {
    String name = Phrases.pick(random, FIRST) + " " + Phrases.pick(random, LAST);
    String agency = Phrases.pick(random, AGENCIES);
    return switch (random.nextInt(5)) {
      case 0 -> "Photo by " + name + " / " + agency;
      case 1 -> "© " + (2012 + random.nextInt(13)) + " " + name + " Photography. All rights reserved.";
      case 2 -> "Image courtesy of " + agency;
      case 3 -> agency + " stock photo ID " + (100000 + random.nextInt(900000));
      default -> "Credit: " + name;
    };
  }

  static String fileName(SplittableRandom random) {
    return switch (random.nextInt(5)) {
      case 0 -> "IMG_" + (1000 + random.nextInt(9000)) + ".jpg";
      case 1 -> "DSC" + String.format("%05d", random.nextInt(100000)) + ".JPG";
      case 2 -> "shapes_final_v" + (1 + random.nextInt(9)) + ".png";
      case 3 -> "image (" + (1 + random.nextInt(20)) + ").png";
      default -> "untitled-" + (1 + random.nextInt(999)) + ".jpeg";
    };
  }

  private static String keywords(SplittableRandom random, AltTextConfig config) {
    List<String> words = new ArrayList<>(List.of(keywordList(random, 4 + random.nextInt(5))
        .split(", ")));
    if (Phrases.chance(random, config.keywordShapeRate())) {
      words.add(random.nextInt(words.size() + 1), Phrases.pick(random,
          "circle", "square", "triangle", "cross", "shapes"));
    }
    return String.join(", ", words);
  }

  private static String keywordList(SplittableRandom random, int n) {
    List<String> pool = new ArrayList<>(List.of(KEYWORDS));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n && !pool.isEmpty(); i++) {
      out.add(pool.remove(random.nextInt(pool.size())));
    }
    return String.join(", ", out);
  }

  private static <T> T other(T[] values, T current, SplittableRandom random) {
    T pick;
    do {
      pick = values[random.nextInt(values.length)];
    } while (pick == current);
    return pick;
  }
}
