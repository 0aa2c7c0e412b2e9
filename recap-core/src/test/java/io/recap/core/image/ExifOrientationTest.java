package io.recap.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real JPEG (ImageIO's encoder) with a real EXIF APP1 segment spliced in after SOI, as a camera writes it:
 * the stored pixels are 32×16 with a red 8×8 block in the top-left corner and white elsewhere.
 */
class ExifOrientationTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void aJpegWithOrientation6IsTurnedAQuarterClockwiseSoTheRedCornerIsTopRight() throws IOException {
        DecodedImage decoded = decoder.decode(withOrientation(storedJpeg(), 6, false));

        assertThat(decoded.width()).isEqualTo(16);
        assertThat(decoded.height()).isEqualTo(32);
        assertThat(decoded.image().getWidth()).isEqualTo(16);
        assertRed(decoded.image(), 12, 3);
        assertWhite(decoded.image(), 3, 3);
        assertWhite(decoded.image(), 12, 28);
    }

    @ParameterizedTest(name = "orientation {0} ({1} byte order) puts the red corner at {2},{3} of {4}x{5}")
    @CsvSource({
            "1, big, 3, 3, 32, 16",
            "2, little, 28, 3, 32, 16",
            "3, big, 28, 12, 32, 16",
            "4, little, 3, 12, 32, 16",
            "5, big, 3, 3, 16, 32",
            "6, little, 12, 3, 16, 32",
            "7, big, 12, 28, 16, 32",
            "8, little, 3, 28, 16, 32"})
    void everyOrientationMovesTheCornerWhereTheTiffSpecificationSays(int orientation, String order, int x, int y,
            int width, int height) throws IOException {
        DecodedImage decoded = decoder.decode(withOrientation(storedJpeg(), orientation, order.equals("little")));

        assertThat(decoded.image().getWidth()).isEqualTo(width);
        assertThat(decoded.image().getHeight()).isEqualTo(height);
        assertRed(decoded.image(), x, y);
    }

    @Test
    void aJpegWithoutExifAndAnOutOfRangeOrientationAreLeftAsStored() throws IOException {
        assertRed(decoder.decode(storedJpeg()).image(), 3, 3);
        DecodedImage odd = decoder.decode(withOrientation(storedJpeg(), 9, false));
        assertThat(odd.width()).isEqualTo(32);
        assertRed(odd.image(), 3, 3);
    }

    private static byte[] storedJpeg() throws IOException {
        BufferedImage image = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, x < 8 && y < 8 ? Color.RED.getRGB() : Color.WHITE.getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "jpeg", out)).isTrue();
        return out.toByteArray();
    }

    /** SOI, then APP1 "Exif\0\0" + a TIFF header + IFD0 with one entry, Orientation (0x0112, SHORT), then the rest. */
    static byte[] withOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        tiff.writeBytes(littleEndian ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'});
        short16(tiff, 42, littleEndian);
        int32(tiff, 8, littleEndian);                   // IFD0 right after the header
        short16(tiff, 1, littleEndian);                 // one entry
        short16(tiff, 0x0112, littleEndian);            // Orientation
        short16(tiff, 3, littleEndian);                 // SHORT
        int32(tiff, 1, littleEndian);                   // one value
        short16(tiff, orientation, littleEndian);       // the value, left-aligned in the 4-byte field
        short16(tiff, 0, littleEndian);
        int32(tiff, 0, littleEndian);                   // no next IFD
        byte[] payload = tiff.toByteArray();
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + exif.length + payload.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
        out.writeBytes(exif);
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static void short16(ByteArrayOutputStream out, int value, boolean little) {
        out.writeBytes(little ? new byte[] {(byte) value, (byte) (value >> 8)} : new byte[] {(byte) (value >> 8), (byte) value});
    }

    private static void int32(ByteArrayOutputStream out, int value, boolean little) {
        if (little) {
            short16(out, value & 0xFFFF, true);
            short16(out, value >>> 16, true);
        } else {
            short16(out, value >>> 16, false);
            short16(out, value & 0xFFFF, false);
        }
    }

    private static void assertRed(BufferedImage image, int x, int y) {
        Color c = new Color(image.getRGB(x, y));
        assertThat(c.getRed()).as("red at %d,%d", x, y).isGreaterThan(200);
        assertThat(c.getGreen()).as("green at %d,%d", x, y).isLessThan(60);
    }

    private static void assertWhite(BufferedImage image, int x, int y) {
        Color c = new Color(image.getRGB(x, y));
        assertThat(c.getGreen()).as("green at %d,%d", x, y).isGreaterThan(200);
    }
}
