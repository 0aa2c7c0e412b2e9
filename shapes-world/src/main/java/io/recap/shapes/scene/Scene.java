package io.recap.shapes.scene;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A scene: a plain background and objects in distinct grid cells. Objects are kept sorted by
 * cell so that two scenes with the same content are {@code equals}, which is what "the oracle
 * recovered the exact scene" means. Counts are derived, never stored, so they cannot disagree.
 */
public record Scene(Background background, List<SceneObject> objects) {
  public Scene {
    Objects.requireNonNull(background, "background");
    List<SceneObject> sorted = new ArrayList<>(objects);
    sorted.sort(Comparator.comparing(SceneObject::cell));
    Set<Cell> seen = EnumSet.noneOf(Cell.class);
    for (SceneObject object : sorted) {
      if (!seen.add(object.cell())) {
        throw new IllegalArgumentException("two objects in cell " + object.cell());
      }
    }
    objects = List.copyOf(sorted);
  }

  /** Identical objects grouped, in the order of their first cell. */
  public List<ObjectGroup> groups() {
    Map<List<Object>, List<Cell>> byLook = new LinkedHashMap<>();
    for (SceneObject object : objects) {
      byLook.computeIfAbsent(List.of(object.shape(), object.colour(), object.size()),
          key -> new ArrayList<>()).add(object.cell());
    }
    List<ObjectGroup> groups = new ArrayList<>();
    byLook.forEach((key, cells) -> groups.add(new ObjectGroup(
        (Shape) key.get(0), (Colour) key.get(1), (Size) key.get(2), cells)));
    return groups;
  }

  /** Objects counted by shape and colour, in the order of their first cell. */
  public List<ObjectClass> classes() {
    Map<List<Object>, Integer> counts = new LinkedHashMap<>();
    for (SceneObject object : objects) {
      counts.merge(List.of(object.shape(), object.colour()), 1, Integer::sum);
    }
    List<ObjectClass> classes = new ArrayList<>();
    counts.forEach((key, count) ->
        classes.add(new ObjectClass((Shape) key.get(0), (Colour) key.get(1), count)));
    return classes;
  }

  /** Number of objects with this shape and colour. */
  public int count(Shape shape, Colour colour) {
    return (int) objects.stream()
        .filter(o -> o.shape() == shape && o.colour() == colour).count();
  }

  /**
   * A hash of the content that is stable across JVM runs (enum hashCodes are not), used to
   * derive per-scene randomness such as render jitter.
   */
  public long stableHash() {
    long hash = background.ordinal() + 1;
    for (SceneObject o : objects) {
      int code = ((o.shape().ordinal() * 8 + o.colour().ordinal()) * 2 + o.size().ordinal()) * 9
          + o.cell().ordinal();
      hash = Seeds.mix(hash, code);
    }
    return hash;
  }
}
