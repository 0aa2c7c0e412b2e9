package io.recap.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.image.ImageValidationException.Reason;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Real WebP files made by cwebp (see src/test/resources/images/README.md): red|blue halves over a green band. */
class WebpDecodingTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void losslessWebpDecodesToTheExactPixelsItWasMadeFrom() throws IOException {
        DecodedImage decoded = decoder.decode(fixture("halves-lossless.webp"));
        assertThat(decoded.format()).isEqualTo(ImageFormat.WEBP);
        assertThat(decoded.width()).isEqualTo(32);
        assertThat(decoded.height()).isEqualTo(24);
        BufferedImage image = decoded.image();
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(image.getRGB(31, 15) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThat(image.getRGB(10, 23) & 0xFFFFFF).isEqualTo(0x00FF00);
    }

    @Test
    void lossyWebpDecodesToColoursCloseToTheOriginal() throws IOException {
        DecodedImage decoded = decoder.decode(fixture("halves-lossy.webp"));
        assertThat(decoded.format()).isEqualTo(ImageFormat.WEBP);
        assertThat(decoded.width()).isEqualTo(32);
        assertThat(decoded.height()).isEqualTo(24);
        assertClose(decoded.image().getRGB(4, 4), new Color(255, 0, 0));
        assertClose(decoded.image().getRGB(27, 4), new Color(0, 0, 255));
        assertClose(decoded.image().getRGB(16, 21), new Color(0, 255, 0));
    }

    @Test
    void sniffNamesWebpFromItsRiffHeader() throws IOException {
        assertThat(ImageFormat.sniff(Arrays.copyOf(fixture("halves-lossy.webp"), 12))).isEqualTo(ImageFormat.WEBP);
        assertThat(ImageFormat.WEBP.mimeType()).isEqualTo("image/webp");
    }

    @Test
    void webpCutShortOfItsRiffSizeIsTruncated() throws IOException {
        byte[] whole = fixture("halves-lossy.webp");
        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(whole, whole.length - 10)))
                .isInstanceOfSatisfying(ImageValidationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
    }

    @Test
    void losslessHeaderDeclaringHugeCanvasIsRejectedBeforeDecoding() throws IOException {
        byte[] bytes = fixture("halves-lossless.webp");
        // VP8L: after the 0x2F signature, 14 bits width-1 then 14 bits height-1; 16384x16384 is over the default limit.
        int bits = 0x3FFF | (0x3FFF << 14);
        bytes[21] = (byte) bits;
        bytes[22] = (byte) (bits >>> 8);
        bytes[23] = (byte) (bits >>> 16);
        bytes[24] = (byte) ((bytes[24] & 0xF0) | ((bits >>> 24) & 0x0F));
        assertThatThrownBy(() -> decoder.decode(bytes))
                .isInstanceOfSatisfying(ImageValidationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS));
    }

    @Test
    void riffContainerOfAnotherKindIsNotAnImage() {
        byte[] wav = {'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'A', 'V', 'E'};
        assertThatThrownBy(() -> decoder.decode(wav))
                .isInstanceOfSatisfying(ImageValidationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT));
    }

    private static void assertClose(int rgb, Color expected) {
        Color actual = new Color(rgb);
        assertThat(Math.abs(actual.getRed() - expected.getRed())).as("red of %s", actual).isLessThan(40);
        assertThat(Math.abs(actual.getGreen() - expected.getGreen())).as("green of %s", actual).isLessThan(40);
        assertThat(Math.abs(actual.getBlue() - expected.getBlue())).as("blue of %s", actual).isLessThan(40);
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = WebpDecodingTest.class.getResourceAsStream("/images/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
