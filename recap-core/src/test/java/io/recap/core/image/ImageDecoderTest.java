package io.recap.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.recap.core.image.ImageValidationException.Reason;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesPngToRgbWithExactPixels() {
        DecodedImage decoded = decoder.decode(PngCodec.encode(scene(64, 48)));
        assertThat(decoded.format()).isEqualTo(ImageFormat.PNG);
        assertThat(decoded.width()).isEqualTo(64);
        assertThat(decoded.height()).isEqualTo(48);
        assertThat(decoded.image().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(decoded.image().getRGB(5, 5) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(decoded.image().getRGB(40, 30) & 0xFFFFFF).isEqualTo(0x0000FF);
    }

    @Test
    void decodesJpegToRgbOfTheRightSize() throws IOException {
        DecodedImage decoded = decoder.decode(jpeg(scene(80, 60)));
        assertThat(decoded.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(decoded.image().getWidth()).isEqualTo(80);
        assertThat(decoded.image().getHeight()).isEqualTo(60);
        assertThat(decoded.image().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(new Color(decoded.image().getRGB(5, 5)).getRed()).isGreaterThan(200); // lossy, but still red
    }

    @Test
    void decodesProgressiveJpegWithSeveralScans() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(scene(70, 50), null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        int scans = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            scans += (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == (byte) 0xDA) ? 1 : 0;
        }
        assertThat(scans).isGreaterThan(1);
        DecodedImage decoded = decoder.decode(jpeg);
        assertThat(decoded.width()).isEqualTo(70);
        assertThat(decoded.height()).isEqualTo(50);
    }

    @Test
    void greyAndTransparentPngsKeepTheirVisibleValues() {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 128);
        BufferedImage decodedGrey = decoder.decode(PngCodec.encode(grey)).image();
        assertThat(decodedGrey.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0x808080);
        assertThat(decodedGrey.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000000);

        BufferedImage transparent = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB); // all alpha 0
        transparent.setRGB(2, 2, 0xFF00FF00);
        BufferedImage decoded = decoder.decode(PngCodec.encode(transparent)).image();
        assertThat(decoded.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(decoded.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0x00FF00);
    }

    @Test
    void emptyBytesAreRejected() {
        assertReason(() -> decoder.decode(new byte[0]), Reason.EMPTY);
        assertReason(() -> decoder.decode(null), Reason.EMPTY);
    }

    @Test
    void randomBytesAreAnUnsupportedFormat() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 'G'; // make sure the noise cannot start with a PNG or JPEG signature by chance
        assertReason(() -> decoder.decode(noise), Reason.UNSUPPORTED_FORMAT);
        assertReason(() -> decoder.decode("GIF89a....".getBytes(StandardCharsets.US_ASCII)), Reason.UNSUPPORTED_FORMAT);
    }

    @Test
    void sniffNamesTheFormatFromTheFirstEightBytesAloneAndRefusesText() throws IOException {
        assertThat(ImageFormat.sniff(Arrays.copyOf(PngCodec.encode(scene(64, 48)), 8))).isEqualTo(ImageFormat.PNG);
        assertThat(ImageFormat.sniff(Arrays.copyOf(jpeg(scene(64, 48)), 8))).isEqualTo(ImageFormat.JPEG);
        assertReason(() -> ImageFormat.sniff("a red circle".getBytes(StandardCharsets.US_ASCII)),
                Reason.UNSUPPORTED_FORMAT);
        assertReason(() -> ImageFormat.sniff(new byte[0]), Reason.TRUNCATED);
    }

    @Test
    void pngSignatureFollowedByGarbageIsCorrupt() {
        byte[] garbage = new byte[512];
        new Random(11).nextBytes(garbage);
        assertReason(() -> decoder.decode(concat(ImageHeaders.PNG_SIGNATURE, garbage)), Reason.CORRUPT);
    }

    @Test
    void pngWithValidChunksButUndecodableImageDataIsCorrupt() {
        byte[] junk = new byte[200];
        new Random(3).nextBytes(junk);
        byte[] png = concat(ImageHeaders.PNG_SIGNATURE, ihdr(16, 16), chunk("IDAT", junk), chunk("IEND", new byte[0]));
        assertThat(decoder.probe(png)).isEqualTo(new ImageInfo(ImageFormat.PNG, 16, 16)); // container is fine
        assertReason(() -> decoder.decode(png), Reason.CORRUPT);
    }

    @Test
    void pngWithAFlippedBitFailsItsCrc() {
        byte[] png = PngCodec.encode(scene(32, 32));
        png[png.length / 2] ^= 0x10;
        assertReason(() -> decoder.decode(png), Reason.CORRUPT);
    }

    @Test
    void pngCutInHalfIsTruncated() {
        byte[] png = PngCodec.encode(scene(64, 48));
        assertReason(() -> decoder.decode(Arrays.copyOf(png, png.length / 2)), Reason.TRUNCATED);
        assertReason(() -> decoder.decode(Arrays.copyOf(png, png.length - 12)), Reason.TRUNCATED); // no IEND
        assertReason(() -> decoder.decode(Arrays.copyOf(png, 20)), Reason.TRUNCATED); // inside IHDR
        assertReason(() -> decoder.decode(Arrays.copyOf(png, 5)), Reason.TRUNCATED); // inside the signature
    }

    @Test
    void jpegCutInHalfIsTruncatedEvenThoughImageIoWouldDecodeIt() throws IOException {
        BufferedImage noisy = scene(128, 128);
        Random random = new Random(5);
        for (int i = 0; i < 4000; i++) {
            noisy.setRGB(random.nextInt(128), random.nextInt(128), random.nextInt());
        }
        byte[] jpeg = jpeg(noisy); // noise makes the compressed data, not the headers, most of the file
        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(half))).isNotNull(); // the silent failure we guard against
        assertReason(() -> decoder.decode(half), Reason.TRUNCATED);
        assertReason(() -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length - 2)), Reason.TRUNCATED); // EOI missing
        assertReason(() -> decoder.decode(Arrays.copyOf(jpeg, 10)), Reason.TRUNCATED); // inside the headers
    }

    @Test
    void pngDeclaring50000x50000IsRejectedBeforeAnyPixelIsAllocated() {
        byte[] idat = chunk("IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        byte[] bomb = concat(ImageHeaders.PNG_SIGNATURE, ihdr(50_000, 50_000), idat, chunk("IEND", new byte[0]));
        // Decoding would need 10 GB for the raster: failing fast proves the header check came first.
        assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertReason(() -> decoder.decode(bomb), Reason.TOO_MANY_PIXELS));
        assertThatThrownBy(() -> decoder.decode(bomb)).hasMessageContaining("50000x50000");
    }

    @Test
    void jpegFrameHeaderDeclaringHugeSizeIsRejected() throws IOException {
        byte[] jpeg = jpeg(scene(80, 60));
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        assertThat(sof).isPositive();
        jpeg[sof + 5] = (byte) 0xEA; // height 60000
        jpeg[sof + 6] = 0x60;
        jpeg[sof + 7] = (byte) 0xEA; // width 60000
        jpeg[sof + 8] = 0x60;
        assertReason(() -> decoder.decode(jpeg), Reason.TOO_MANY_PIXELS);
    }

    @Test
    void limitsAreConfigurable() {
        byte[] png = PngCodec.encode(scene(64, 48));
        assertReason(() -> new ImageDecoder(new ImageLimits(png.length - 1, 1_000_000)).decode(png), Reason.TOO_LARGE_BYTES);
        assertReason(() -> new ImageDecoder(new ImageLimits(1_000_000, 64 * 48 - 1)).decode(png), Reason.TOO_MANY_PIXELS);
        assertThat(new ImageDecoder(new ImageLimits(png.length, 64 * 48)).decode(png).width()).isEqualTo(64);
        assertThatThrownBy(() -> new ImageLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void byteLimitIsCheckedBeforeTheFormat() {
        byte[] big = new byte[(int) ImageLimits.DEFAULT_MAX_BYTES + 1];
        assertReason(() -> decoder.decode(big), Reason.TOO_LARGE_BYTES);
    }

    private static void assertReason(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ImageValidationException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    private static BufferedImage scene(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
        graphics.setColor(Color.RED);
        graphics.fillRect(0, 0, 20, 20);
        graphics.setColor(Color.BLUE);
        graphics.fillRect(width - 30, height - 20, 30, 20);
        graphics.dispose();
        return image;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "jpeg", out)).isTrue();
        return out.toByteArray();
    }

    private static byte[] ihdr(int width, int height) {
        // 8-bit RGB, default compression/filter, no interlace
        return chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put(new byte[] {8, 2, 0, 0, 0}).array());
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte first, byte second) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == first && bytes[i + 1] == second) {
                return i;
            }
        }
        return -1;
    }
}
