package io.recap.shapes.scene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded scene generator. Scene {@code index} of stream {@code seed} depends on those two numbers
 * only, so corpora can be generated in parallel, in any order, or one scene at a time.
 *
 * <p>Objects come in groups of identical objects (same shape, colour, size) so that scenes
 * exercise counting ("two red circles"); different groups differ in shape or colour, which keeps
 * "the red circles" unambiguous in every caption.
 */
public final class SceneGenerator {
  /** Probability that a new group holds several identical objects when room is left. */
  private static final double REPEAT_PROBABILITY = 0.3;

  private final int minObjects;
  private final int maxObjects;

  public SceneGenerator() {
    this(1, 4);
  }

  public SceneGenerator(int minObjects, int maxObjects) {
    if (minObjects < 1 || maxObjects > 9 || minObjects > maxObjects) {
      throw new IllegalArgumentException("objects must satisfy 1 <= min <= max <= 9");
    }
    this.minObjects = minObjects;
    this.maxObjects = maxObjects;
  }

  /** The seed of scene {@code index} in stream {@code seed}; also seeds its jitter and texts. */
  public static long sceneSeed(long seed, long index) {
    return Seeds.mix(seed, index);
  }

  /** Scene {@code index} of stream {@code seed}, with the default 1-4 objects. */
  public static Scene generate(long seed, long index) {
    return new SceneGenerator().scene(seed, index);
  }

  public Scene scene(long seed, long index) {
    SplittableRandom random = new SplittableRandom(sceneSeed(seed, index));
    int total = minObjects + random.nextInt(maxObjects - minObjects + 1);
    Background background = pick(random, Background.values());
    List<Cell> cells = new ArrayList<>(Arrays.asList(Cell.values()));
    shuffle(cells, random);
    Set<List<Object>> usedClasses = new HashSet<>();
    List<SceneObject> objects = new ArrayList<>();
    while (objects.size() < total) {
      int remaining = total - objects.size();
      int count = 1;
      if (remaining >= 2 && random.nextDouble() < REPEAT_PROBABILITY) {
        count = 2 + random.nextInt(Math.min(remaining, 4) - 1);
      }
      Shape shape;
      Colour colour;
      do {
        shape = pick(random, Shape.values());
        colour = pick(random, Colour.values());
      } while (!usedClasses.add(List.of(shape, colour)));
      Size size = pick(random, Size.values());
      for (int i = 0; i < count; i++) {
        objects.add(new SceneObject(shape, colour, size, cells.get(objects.size())));
      }
    }
    return new Scene(background, objects);
  }

  private static <T> T pick(SplittableRandom random, T[] values) {
    return values[random.nextInt(values.length)];
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T tmp = list.get(i);
      list.set(i, list.get(j));
      list.set(j, tmp);
    }
  }
}
