package io.recap.shapes.text;

import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.ObjectGroup;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a text says about a scene: the object mentions and, if named, the background. Partial by
 * nature: a SHORT caption has no sizes or positions, alt-text may have almost nothing.
 */
public record TextScene(Background background, List<Mention> mentions) {
  public TextScene {
    mentions = List.copyOf(mentions);
  }

  /** Everything the scene holds, as a fully specified text scene (a LONG prompt's content). */
  public static TextScene describing(Scene scene) {
    List<Mention> mentions = new ArrayList<>();
    for (ObjectGroup g : scene.groups()) {
      mentions.add(new Mention(g.shape(), g.colour(), g.size(), g.count(), g.count() > 1,
          g.cells()));
    }
    return new TextScene(scene.background(), mentions);
  }

  public boolean specifiesColour() {
    return mentions.stream().anyMatch(m -> m.colour() != null);
  }

  public boolean specifiesSize() {
    return mentions.stream().anyMatch(m -> m.size() != null);
  }

  public boolean specifiesPosition() {
    return mentions.stream().anyMatch(m -> !m.cells().isEmpty());
  }

  public boolean specifiesCount() {
    return mentions.stream().anyMatch(m -> m.impliedCount() != null);
  }

  /**
   * The complete scene, when the text states everything (background, and for every mention
   * colour, size and positions consistent with its count), as a LONG caption does.
   */
  public Optional<Scene> toScene() {
    if (background == null || mentions.isEmpty()) {
      return Optional.empty();
    }
    List<SceneObject> objects = new ArrayList<>();
    Set<Cell> used = EnumSet.noneOf(Cell.class);
    for (Mention m : mentions) {
      if (m.colour() == null || m.size() == null || m.cells().isEmpty()
          || (m.count() != null && m.count() != m.cells().size())) {
        return Optional.empty();
      }
      for (Cell cell : m.cells()) {
        if (!used.add(cell)) {
          return Optional.empty();
        }
        objects.add(new SceneObject(m.shape(), m.colour(), m.size(), cell));
      }
    }
    return Optional.of(new Scene(background, objects));
  }
}
