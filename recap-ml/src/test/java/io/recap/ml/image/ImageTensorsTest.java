package io.recap.ml.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recap.ml.runtime.DjlRuntime;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    @Test
    void convertsToChannelsFirstInMinusOneToOneAndBack() {
        DjlRuntime.start();
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 0, new Color(255, 0, 128).getRGB());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray tensor = ImageTensors.toTensor(manager, List.of(image), 4);

            assertThat(tensor.getShape()).isEqualTo(new Shape(1, 3, 4, 4));
            assertThat(tensor.getFloat(0, 0, 0, 1)).isEqualTo(1f);
            assertThat(tensor.getFloat(0, 1, 0, 1)).isEqualTo(-1f);
            assertThat(tensor.getFloat(0, 2, 0, 1)).isCloseTo(0f, within(0.01f));
            assertThat(ImageTensors.toImages(tensor).get(0).getRGB(1, 0)).isEqualTo(image.getRGB(1, 0));
        }
    }

    @Test
    void resizesOtherSizes() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.RED);
        graphics.fillRect(0, 0, 64, 64);
        graphics.dispose();
        BufferedImage small = ImageTensors.resized(image, 32);
        assertThat(small.getWidth()).isEqualTo(32);
        assertThat(new Color(small.getRGB(10, 10))).isEqualTo(Color.RED);
    }
}
