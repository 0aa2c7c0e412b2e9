package io.recap.experiments.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneObject;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.scene.Size;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe's score: which cell holds the most foreground, whatever the background's colour. */
class PositionProbeTest {

    @Test
    void findsTheCellOfARenderedObjectOnEveryBackground() {
        for (Background background : Background.values()) {
            for (Cell cell : Cell.values()) {
                Scene scene = new Scene(background,
                        List.of(new SceneObject(Shape.TRIANGLE, Colour.YELLOW, Size.SMALL, cell)));
                BufferedImage image = SceneRenderer.render(scene, 32);
                assertThat(PositionProbe.mostForeground(image)).as("%s on %s", cell, background).isEqualTo(cell);
            }
        }
    }
}
