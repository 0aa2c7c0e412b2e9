package io.recap.orchestrator.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.domain.ImageRef;
import io.recap.core.image.DecodedImage;
import io.recap.core.image.ImageDecoder;
import io.recap.core.image.ImageLimits;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.LocalImageBytes;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import io.recap.orchestrator.support.IngestFixtures;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real tar shards written here with commons-compress, holding real PNG, JPEG and WebP images. */
class WebDatasetReaderTest {

    @TempDir
    Path base;

    private Path root;
    private AllowedRoots roots;
    private CorpusReaders readers;

    @BeforeEach
    void roots() throws IOException {
        root = Files.createDirectories(base.resolve("corpora")).toRealPath();
        roots = AllowedRoots.of(root);
        readers = new CorpusReaders(roots);
    }

    @Test
    void shardsAreDetectedAndReadAsSamplesGroupedByKeyWithAltTextFromTxtElseJsonCaptionElseEmpty() throws IOException {
        Path dir = root.resolve("wds");
        shard(dir.resolve("00000.tar"), List.of(
                member("000000000.png", png(scene(Color.RED, 16, 12))),
                member("000000000.txt", "  a red block \n"),
                member("000000000.json", "{\"caption\": \"the json caption, not used\", \"url\": \"http://x\"}"),
                member("000000001.jpg", jpeg(scene(Color.BLUE, 16, 12))),
                member("000000001.json", "{\"caption\": \"from the json\"}")));
        shard(dir.resolve("00001.tar"), List.of(
                member("000010000.webp", webp()),
                member("000010000.json", "{\"url\": \"http://y\"}")));

        assertThat(readers.detect(dir)).isEqualTo(CorpusFormat.WEBDATASET);
        CorpusRead read = readers.read(dir, null, null);

        assertThat(read.format()).isEqualTo(CorpusFormat.WEBDATASET);
        assertThat(read.errors()).isEmpty();
        assertThat(read.records()).extracting(CorpusRecord::id, CorpusRecord::altText).containsExactly(
                tuple("00000/000000000", "a red block"),
                tuple("00000/000000001", "from the json"),
                tuple("00001/000010000", ""));
        assertThat(read.withoutAltText()).isEqualTo(1);
        // Each sample's key.json is its record's metadata, whole; a sample without one has none.
        assertThat(read.records()).extracting(CorpusRecord::metadata).containsExactly(
                Map.of("caption", "the json caption, not used", "url", "http://x"),
                Map.of("caption", "from the json"),
                Map.of("url", "http://y"));
        assertThat(read.records()).extracting(CorpusRecord::split).containsOnly("train");
        ImageRef first = ImageRef.ofUri(read.records().get(0).image());
        assertThat(first.source()).isEqualTo(ImageRef.Source.TAR);
        assertThat(first.uri()).startsWith("tar:" + dir.resolve("00000.tar").toUri() + "!/000000000.png?offset=512&length=");
    }

    @Test
    void aKeyJsonThatIsNoObjectGivesNoMetadataAndOneThatIsNotJsonCostsTheSampleOnlyWhenItWasToGiveTheAltText()
            throws IOException {
        Path dir = root.resolve("json");
        byte[] image = png(scene(Color.RED, 4, 4));
        shard(dir.resolve("s.tar"), List.of(
                member("a.png", image), member("a.txt", "alpha"), member("a.json", "not json"),
                member("b.png", image), member("b.json", "[\"an\", \"array\"]"),
                member("c.png", image), member("c.json", "not json either"),
                member("d.png", image), member("d.json", """
                        {"": "no name", "huge": 1e400, "big": 123456789012345678901234567890,
                         "exif": {"iso": 100, "f": 2.8, "flash": false, "lens": null}, "tags": ["red", 1]}""")));

        CorpusRead read = readers.read(dir, null, null);

        assertThat(read.records()).extracting(CorpusRecord::id, CorpusRecord::altText)
                .containsExactly(tuple("s/a", "alpha"), tuple("s/b", ""), tuple("s/d", ""));
        assertThat(read.records().get(0).metadata()).isEmpty();
        assertThat(read.records().get(1).metadata()).isEmpty();
        Map<String, Object> d = read.records().get(2).metadata();
        assertThat(d).containsOnlyKeys("huge", "big", "exif", "tags");
        assertThat(d.get("huge")).isEqualTo("Infinity");
        assertThat(d.get("big")).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
        Map<String, Object> exif = new java.util.HashMap<>(Map.of("iso", 100L, "f", 2.8, "flash", false));
        exif.put("lens", null);
        assertThat(d.get("exif")).isEqualTo(exif);
        assertThat(d.get("tags")).isEqualTo(List.of("red", 1L));
        assertThat(read.errors()).extracting(ItemError::reason, ItemError::path)
                .containsExactly(tuple(Reason.MALFORMED_LINE, "s.tar/c.png"));
    }

    @Test
    void anIngestedMemberIsLoadedInPlaceFromItsShardWithTheSamePixels() throws IOException {
        Path dir = root.resolve("pixels");
        BufferedImage red = scene(Color.RED, 20, 10);
        BufferedImage green = scene(Color.GREEN, 7, 33);
        shard(dir.resolve("a.tar"), List.of(
                member("k1.png", png(red)), member("k1.txt", "one"),
                member("k2.png", png(green)), member("k2.txt", "two"),
                member("k3.webp", webp())));
        CorpusRead read = readers.read(dir, null, null);
        ImageDecoder decoder = new ImageDecoder();

        DecodedImage second = decoder.decode(LocalImageBytes.read(roots, ImageRef.ofUri(read.records().get(1).image()), ImageLimits.DEFAULT_MAX_BYTES));
        assertSamePixels(second.image(), green);
        assertSamePixels(decoder.decode(LocalImageBytes.read(roots, ImageRef.ofUri(read.records().get(0).image()),
                ImageLimits.DEFAULT_MAX_BYTES)).image(), red);
        BufferedImage webp = decoder.decode(LocalImageBytes.read(roots, ImageRef.ofUri(read.records().get(2).image()),
                ImageLimits.DEFAULT_MAX_BYTES)).image();
        assertThat(webp.getRGB(31, 0) & 0xFFFFFF).isEqualTo(0x0000FF);
        // The reference survives the trip through a message: it is plain text.
        assertThat(ImageRef.ofUri(read.records().get(1).image()).tarMember().member()).isEqualTo("k2.png");
    }

    @Test
    void hostileAndBrokenMembersAreErrorsOfTheirOwnAndTheRestOfTheShardIsRead() throws IOException {
        Path dir = root.resolve("hostile");
        byte[] big = png(noise(64, 64));
        shard(dir.resolve("s.tar"), List.of(
                member("../escape.png", png(scene(Color.RED, 4, 4))),
                member("/etc/abs.png", png(scene(Color.RED, 4, 4))),
                member("fake.png", "GIF89a but really text"),
                member("fake.txt", "a caption for a fake"),
                member("huge.png", big),
                member("huge.txt", "too big"),
                member("lonely.txt", "a caption without an image"),
                member("ok.png", png(scene(Color.RED, 4, 4))),
                member("ok.txt", "fine")));
        WebDatasetReader reader = new WebDatasetReader(new ImageFiles(roots), big.length - 1);

        CorpusRead read = reader.read(dir, List.of("s.tar"));

        assertThat(read.records()).extracting(CorpusRecord::id, CorpusRecord::altText).containsExactly(tuple("s/ok", "fine"));
        assertThat(read.errors()).extracting(ItemError::reason, ItemError::path).containsExactly(
                tuple(Reason.UNSAFE_PATH, "s.tar/../escape.png"),
                tuple(Reason.UNSAFE_PATH, "s.tar//etc/abs.png"),
                tuple(Reason.UNSUPPORTED_IMAGE, "s.tar/fake.png"),
                tuple(Reason.TOO_LARGE, "s.tar/huge.png"),
                tuple(Reason.MISSING_IMAGE, "s.tar/lonely"));
        assertThat(read.errors().get(2).detail()).contains("not a PNG, JPEG or WebP");
        assertThat(read.errors().get(3).detail()).contains(big.length + " bytes");
    }

    @Test
    void aShardCutInsideAMemberKeepsTheItemsBeforeTheCutAndSaysWhere() throws IOException {
        Path dir = root.resolve("cut");
        Path tar = shard(dir.resolve("t.tar"), List.of(
                member("a.png", png(scene(Color.RED, 8, 8))), member("a.txt", "first"),
                member("b.png", png(noise(40, 40))), member("b.txt", "second")));
        byte[] whole = Files.readAllBytes(tar);
        ImageRef b = ImageRef.ofUri(readers.read(dir, null, null).records().get(1).image());
        Files.write(tar, Arrays.copyOf(whole, (int) (b.tarMember().offset() + b.tarMember().length() / 2)));

        CorpusRead read = readers.read(dir, null, null);

        assertThat(read.records()).extracting(CorpusRecord::id, CorpusRecord::altText).containsExactly(tuple("t/a", "first"));
        assertThat(read.errors()).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
            assertThat(e.path()).isEqualTo("t.tar/b.png");
        });
    }

    @Test
    void aShardCutCleanlyBetweenTwoMembersIsStillTruncatedBecauseItsEndMarkerIsMissing() throws IOException {
        Path dir = root.resolve("cut-between");
        Path tar = shard(dir.resolve("t.tar"), List.of(
                member("a.png", png(scene(Color.RED, 8, 8))), member("a.txt", "first"),
                member("b.png", png(scene(Color.BLUE, 8, 8)))));
        ImageRef b = ImageRef.ofUri(readers.read(dir, null, null).records().get(1).image());
        // b.png's header is the 512 bytes before its data: cutting there leaves a.png and a.txt whole.
        Files.write(tar, Arrays.copyOf(Files.readAllBytes(tar), (int) b.tarMember().offset() - 512));

        CorpusRead read = readers.read(dir, null, null);

        assertThat(read.records()).extracting(CorpusRecord::id).containsExactly("t/a");
        assertThat(read.errors()).extracting(ItemError::reason, ItemError::path).containsExactly(tuple(Reason.TRUNCATED, "t.tar"));
    }

    @Test
    void aShardWithMoreMembersThanTheLimitStopsThereWithOneErrorAndTheNextShardIsRead() throws IOException {
        Path dir = root.resolve("bomb");
        List<Member> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add(member(String.format("%03d.png", i), png(scene(Color.RED, 2, 2))));
        }
        shard(dir.resolve("a-bomb.tar"), many);
        shard(dir.resolve("b-fine.tar"), List.of(member("x.png", png(scene(Color.RED, 2, 2)))));
        WebDatasetReader reader = new WebDatasetReader(new ImageFiles(roots), ImageLimits.DEFAULT_MAX_BYTES, 4, Long.MAX_VALUE);

        CorpusRead read = reader.read(dir, List.of("a-bomb.tar", "b-fine.tar"));

        assertThat(read.records()).extracting(CorpusRecord::id).containsExactly("a-bomb/000", "a-bomb/001", "a-bomb/002",
                "a-bomb/003", "b-fine/x");
        assertThat(read.errors()).extracting(ItemError::reason, ItemError::path).containsExactly(
                tuple(Reason.SHARD_LIMIT, "a-bomb.tar"));
    }

    @Test
    void aShardWithMoreMemberBytesThanTheLimitStopsThere() throws IOException {
        Path dir = root.resolve("bytes");
        byte[] image = png(noise(30, 30));
        shard(dir.resolve("s.tar"), List.of(member("a.png", image), member("b.png", image), member("c.png", image)));
        WebDatasetReader reader = new WebDatasetReader(new ImageFiles(roots), ImageLimits.DEFAULT_MAX_BYTES, 100,
                2L * image.length);

        CorpusRead read = reader.read(dir, List.of("s.tar"));

        assertThat(read.records()).extracting(CorpusRecord::id).containsExactly("s/a", "s/b");
        assertThat(read.errors()).extracting(ItemError::reason).containsExactly(Reason.SHARD_LIMIT);
    }

    @Test
    void shardsBesideImagesAreAmbiguousAndAShardSymlinkedOutOfTheRootsIsRefused() throws IOException {
        Path mixed = root.resolve("mixed");
        shard(mixed.resolve("a.tar"), List.of(member("x.png", png(scene(Color.RED, 2, 2)))));
        IngestFixtures.png(mixed.resolve("loose.png"));
        assertThatThrownBy(() -> readers.detect(mixed)).isInstanceOfSatisfying(CorpusReadException.class,
                e -> assertThat(e.getMessage()).contains("both *.tar shards and images"));

        Path outside = Files.createDirectories(base.resolve("outside"));
        shard(outside.resolve("secret.tar"), List.of(member("s.png", png(scene(Color.RED, 2, 2)))));
        Path dir = root.resolve("linked");
        shard(dir.resolve("a.tar"), List.of(member("x.png", png(scene(Color.RED, 2, 2)))));
        Files.createSymbolicLink(dir.resolve("b.tar"), outside.resolve("secret.tar"));

        CorpusRead read = readers.read(dir, CorpusFormat.WEBDATASET, null);

        assertThat(read.records()).extracting(CorpusRecord::id).containsExactly("a/x");
        assertThat(read.errors()).extracting(ItemError::reason, ItemError::path).containsExactly(tuple(Reason.UNSAFE_PATH, "b.tar"));
    }

    // ---- fixtures

    record Member(String name, byte[] bytes) {
    }

    static Member member(String name, byte[] bytes) {
        return new Member(name, bytes);
    }

    static Member member(String name, String text) {
        return new Member(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a real tar (with its end-of-archive marker) holding the members in order. */
    static Path shard(Path file, List<Member> members) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Member member : members) {
                TarArchiveEntry entry = new TarArchiveEntry(member.name(), true);
                entry.setSize(member.bytes().length);
                tar.putArchiveEntry(entry);
                tar.write(member.bytes());
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return file;
    }

    static BufferedImage scene(Color colour, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, x < width / 2 ? colour.getRGB() : (x * 7 + y * 13) & 0xFFFFFF);
            }
        }
        return image;
    }

    /** Incompressible pixels, so the PNG is large enough to cut in the middle of. */
    static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    static byte[] png(BufferedImage image) throws IOException {
        return encode(image, "png");
    }

    static byte[] jpeg(BufferedImage image) throws IOException {
        return encode(image, "jpeg");
    }

    static byte[] webp() throws IOException {
        try (var in = WebDatasetReaderTest.class.getResourceAsStream("/images/halves-lossless.webp")) {
            return in.readAllBytes();
        }
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    private static void assertSamePixels(BufferedImage actual, BufferedImage expected) {
        assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                assertThat(actual.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(expected.getRGB(x, y));
            }
        }
    }
}
