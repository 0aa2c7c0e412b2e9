package io.recap.relabel.captioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.ImageRef;
import io.recap.core.image.DecodeBudget;
import io.recap.core.image.ImageDecoder;
import io.recap.core.image.ImageLimits;
import io.recap.core.store.AllowedRoots;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading tar members of a real shard in place, as the orchestrator's WebDataset ingest references them. */
class ImageLoaderTest {

    @TempDir
    Path base;

    private Path root;
    private ImageLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(base.resolve("data")).toRealPath();
        loader = new ImageLoader(AllowedRoots.of(root), new ImageDecoder(new ImageLimits(4096, 1_000_000)),
                new DecodeBudget(64L << 20, Duration.ofSeconds(5)));
    }

    @Test
    void aTarMemberIsReadAtItsOffsetAndDecodesToTheSamePixels() throws IOException {
        BufferedImage first = gradient(9, 5, 0);
        BufferedImage second = gradient(6, 11, 100);
        Path tar = root.resolve("shard.tar");
        long[] offsets = writeTar(tar, png(first), "a caption".getBytes(), png(second));

        ImageLoader.Loaded loaded = loader.load(ImageRef.tarMember(tar.toUri().toString(), "k2.png", offsets[2],
                png(second).length));

        assertThat(loaded.errorMessage()).isNull();
        for (int y = 0; y < second.getHeight(); y++) {
            for (int x = 0; x < second.getWidth(); x++) {
                assertThat(loaded.image().getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(second.getRGB(x, y));
            }
        }
    }

    @Test
    void aTarMemberIsConfinedToTheRootsAndItsLengthToTheFileAndTheByteLimit() throws IOException {
        byte[] image = png(gradient(4, 4, 0));
        Path outside = Files.createDirectories(base.resolve("outside")).resolve("secret.tar");
        long[] offsets = writeTar(outside, image);
        assertThat(loader.load(ImageRef.tarMember(outside.toUri().toString(), "k0.png", offsets[0], image.length))
                .errorCode()).isEqualTo("OUTSIDE_ALLOWED_ROOTS");

        Path tar = root.resolve("cut.tar");
        offsets = writeTar(tar, image);
        Files.write(tar, Arrays.copyOf(Files.readAllBytes(tar), (int) offsets[0] + image.length / 2));
        assertThat(loader.load(ImageRef.tarMember(tar.toUri().toString(), "k0.png", offsets[0], image.length))
                .errorCode()).isEqualTo("TRUNCATED");

        assertThat(loader.load(ImageRef.tarMember(tar.toUri().toString(), "k0.png", 0, 5000)).errorCode())
                .isEqualTo("TOO_LARGE_BYTES");
        assertThat(loader.load(ImageRef.tarMember(root.resolve("missing.tar").toUri().toString(), "k0.png", 0, 10))
                .errorCode()).isEqualTo("NOT_FOUND");
    }

    /** Members {@code k0.png}, {@code k1.png}, ... in order; returns each member's data offset, computed by hand. */
    private static long[] writeTar(Path file, byte[]... members) throws IOException {
        long[] offsets = new long[members.length];
        long position = 0;
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (int i = 0; i < members.length; i++) {
                TarArchiveEntry entry = new TarArchiveEntry("k" + i + ".png", true);
                entry.setSize(members[i].length);
                tar.putArchiveEntry(entry);
                tar.write(members[i]);
                tar.closeArchiveEntry();
                offsets[i] = position + 512; // one 512-byte ustar header, then the data padded to 512
                position = offsets[i] + (members[i].length + 511) / 512 * 512;
            }
            tar.finish();
        }
        return offsets;
    }

    private static BufferedImage gradient(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((seed + x * 25) & 0xFF) << 16 | ((y * 20) & 0xFF) << 8 | (seed & 0xFF));
            }
        }
        return image;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
