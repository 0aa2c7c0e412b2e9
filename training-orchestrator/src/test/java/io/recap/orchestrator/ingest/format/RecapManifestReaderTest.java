package io.recap.orchestrator.ingest.format;

import static io.recap.orchestrator.support.IngestFixtures.jpeg;
import static io.recap.orchestrator.support.IngestFixtures.png;
import static io.recap.orchestrator.support.IngestFixtures.text;
import static io.recap.orchestrator.support.IngestFixtures.webp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.image.ImageLimits;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.LocalImageBytes;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusManifest;
import io.recap.shapes.text.AltTextConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The neutral corpus manifest, {@code corpus.jsonl}: a ShapesWorld corpus as {@link CorpusGenerator} writes it (the
 * ShapesWorld classes appear here only to make and check one; the reader uses none), and manifests written by hand
 * with every kind of image reference, metadata and bad lines.
 */
class RecapManifestReaderTest {

    @TempDir
    Path base;

    private Path root;
    private Path outside;
    private AllowedRoots roots;
    private CorpusReaders readers;

    @BeforeEach
    void roots() throws IOException {
        root = Files.createDirectories(base.resolve("corpora")).toRealPath();
        outside = Files.createDirectories(base.resolve("outside")).toRealPath();
        roots = AllowedRoots.of(root);
        readers = new CorpusReaders(roots);
    }

    @Test
    void aShapesWorldCorpusIsDetectedAndReadThroughItsCorpusJsonlWithItsOwnIdsAltTextsAndHumanCaptions()
            throws IOException {
        Path dir = root.resolve("shapes");
        CorpusGenerator.generate(new CorpusConfig(dir, 8, 11, 32, 2, 2, AltTextConfig.defaults()), line -> { });
        List<CorpusEntry> entries = CorpusManifest.read(dir).entries();

        assertThat(readers.detect(dir)).isEqualTo(CorpusFormat.RECAP);
        CorpusRead read = readers.read(dir, null, null);

        assertThat(read.format()).isEqualTo(CorpusFormat.RECAP);
        assertThat(read.source()).isEqualTo(dir.resolve("corpus.jsonl"));
        assertThat(read.errors()).isEmpty();
        assertThat(read.records()).extracting(CorpusRecord::id, CorpusRecord::altText, CorpusRecord::image,
                CorpusRecord::captions).containsExactlyElementsOf(entries.stream().map(e -> tuple(e.id(), e.altText(),
                        dir.resolve(e.file()).toUri().toString(), Map.of(CaptionStyle.SHORT, e.captions().shortCaption(),
                                CaptionStyle.LONG, e.captions().longCaption()))).toList());
        // ShapesWorld's metadata (the scene, the seeds) arrives as it was written, for whoever reads the records.
        assertThat(read.records()).allSatisfy(record -> assertThat(record.metadata()).containsKey("scene"));

        // The former format name reads the same manifest, and nothing of ShapesWorld's own files is needed.
        Files.delete(dir.resolve(CorpusGenerator.MANIFEST));
        Files.delete(dir.resolve(CorpusGenerator.INFO));
        CorpusRead alias = readers.read(dir, CorpusFormat.parse("shapes"), null);
        assertThat(alias.format()).isEqualTo(CorpusFormat.RECAP);
        assertThat(alias.records()).isEqualTo(read.records());
    }

    @Test
    void aHandWrittenManifestIsReadWithItsSplitsAndMetadataAndEachBadLineIsAnErrorOfItsOwn() throws IOException {
        Path dir = root.resolve("hand");
        png(dir.resolve("photos/a.png"));
        jpeg(dir.resolve("b.jpg"));
        webp(dir.resolve("w.webp"));
        text(dir.resolve("notes.png"), "a text file with an image's name");
        byte[] member = Files.readAllBytes(png(base.resolve("member.png")));
        shard(dir.resolve("00000.tar"), "k.png", member);
        png(outside.resolve("secret.png"));
        Files.createSymbolicLink(dir.resolve("escape.png"), outside.resolve("secret.png"));
        String tar = "tar:file:00000.tar!/k.png?offset=512&length=" + member.length;
        text(dir.resolve("corpus.jsonl"), """
                {"id":"a","image":"photos/a.png","altText":"a red half","split":"train","captions":{"SHORT":"Red.","LONG":"A red half on white."},"metadata":{"source":"camera","exif":{"iso":100},"tags":["red"]}}
                {"id":"b","image":"file:b.jpg","altText":"a relative file: URI","split":"eval"}

                {"id":"w","image":"%s"}
                {"id":"k","image":"%s","altText":"a member of a shard"}
                {"id":"broken","image":"b.jpg"
                ["not", "an", "object"]
                {"image":"photos/a.png","text":"no id"}
                {"id":"no-image","altText":"x"}
                {"id":"alt","image":"photos/a.png","captions":{"ALT":"the alt-text is not a caption"}}
                {"id":"abs","image":"%s"}
                {"id":"up","image":"../outside/secret.png"}
                {"id":"escape","image":"escape.png"}
                {"id":"outside-uri","image":"%s"}
                {"id":"gone","image":"gone.png"}
                {"id":"notes","image":"notes.png"}
                {"id":"a","image":"b.jpg","altText":"the same id again"}
                {"id":"cut","image":"tar:file:00000.tar!/k.png?offset=512&length=999999"}
                {"id":"header","image":"tar:file:00000.tar!/k.png?offset=0&length=%d"}
                {"id":"no-shard","image":"tar:file:missing.tar!/k.png?offset=512&length=10"}
                """.formatted(dir.resolve("w.webp").toUri(), tar, outside.resolve("secret.png"),
                outside.resolve("secret.png").toUri(), member.length));

        CorpusRead read = readers.read(dir, null, null);

        assertThat(read.format()).isEqualTo(CorpusFormat.RECAP);
        assertThat(read.records()).extracting(CorpusRecord::id, CorpusRecord::altText).containsExactly(
                tuple("a", "a red half"), tuple("b", "a relative file: URI"), tuple("w", ""),
                tuple("k", "a member of a shard"));
        assertThat(read.withoutAltText()).isEqualTo(1);
        assertThat(read.records().get(0).captions()).isEqualTo(Map.of(CaptionStyle.SHORT, "Red.",
                CaptionStyle.LONG, "A red half on white."));
        assertThat(read.records()).extracting(CorpusRecord::split).containsExactly("train", "eval", "train", "train");
        assertThat(read.records().get(0).metadata()).isEqualTo(Map.of("source", "camera", "exif", Map.of("iso", 100L),
                "tags", List.of("red")));
        assertThat(read.records().subList(1, 4)).allSatisfy(record -> assertThat(record.metadata()).isEmpty());
        assertThat(read.records()).extracting(CorpusRecord::image).startsWith(
                dir.resolve("photos/a.png").toUri().toString(), dir.resolve("b.jpg").toUri().toString(),
                dir.resolve("w.webp").toUri().toString());
        ImageRef k = ImageRef.ofUri(read.records().get(3).image());
        assertThat(k.uri()).isEqualTo(ImageRef.tarMember(dir.resolve("00000.tar").toUri().toString(), "k.png", 512,
                member.length).uri());
        assertThat(LocalImageBytes.read(roots, k, ImageLimits.DEFAULT_MAX_BYTES)).isEqualTo(member);
        assertThat(read.errors()).extracting(ItemError::line, ItemError::reason, ItemError::path).containsExactly(
                tuple(6, Reason.MALFORMED_LINE, null),
                tuple(7, Reason.MALFORMED_LINE, null),
                tuple(8, Reason.MISSING_FIELD, "photos/a.png"),
                tuple(9, Reason.MISSING_FIELD, null),
                tuple(10, Reason.MALFORMED_LINE, "photos/a.png"),
                tuple(11, Reason.MALFORMED_LINE, outside.resolve("secret.png").toString()),
                tuple(12, Reason.UNSAFE_PATH, "../outside/secret.png"),
                tuple(13, Reason.UNSAFE_PATH, "escape.png"),
                tuple(14, Reason.UNSAFE_PATH, outside.resolve("secret.png").toUri().toString()),
                tuple(15, Reason.MISSING_IMAGE, "gone.png"),
                tuple(16, Reason.UNSUPPORTED_IMAGE, "notes.png"),
                tuple(17, Reason.DUPLICATE_ID, "b.jpg"),
                tuple(18, Reason.TRUNCATED, "tar:file:00000.tar!/k.png?offset=512&length=999999"),
                tuple(19, Reason.UNSUPPORTED_IMAGE, "tar:file:00000.tar!/k.png?offset=0&length=" + member.length),
                tuple(20, Reason.MISSING_IMAGE, "tar:file:missing.tar!/k.png?offset=512&length=10"));
        assertThat(read.errors().get(2).detail()).contains("the record has no 'id'");
        assertThat(read.errors().get(4).detail()).contains("the alt-text goes in altText");
        assertThat(read.errors().get(5).detail()).contains("is an absolute path");
    }

    @Test
    void aTarMemberOverTheImageByteLimitIsTooLargeAndNotRead() throws IOException {
        Path dir = root.resolve("large");
        byte[] member = Files.readAllBytes(png(base.resolve("member.png")));
        shard(dir.resolve("s.tar"), "big.png", member);
        text(dir.resolve("corpus.jsonl"), "{\"id\":\"big\",\"image\":\"tar:file:s.tar!/big.png?offset=512&length="
                + member.length + "\"}\n");

        CorpusRead read = new RecapManifestReader(new ImageFiles(roots), member.length - 1).read(dir);

        assertThat(read.records()).isEmpty();
        assertThat(read.errors()).extracting(ItemError::reason).containsExactly(Reason.TOO_LARGE);
    }

    @Test
    void aShapesWorldCorpusFromBeforeCorpusJsonlIsRefusedSayingHowToGetIt() throws IOException {
        Path dir = root.resolve("older");
        CorpusGenerator.generate(CorpusConfig.of(dir, 3, 2), line -> { });
        Files.delete(dir.resolve("corpus.jsonl"));

        for (CorpusFormat format : new CorpusFormat[] {null, CorpusFormat.RECAP, CorpusFormat.parse("shapes")}) {
            assertThatThrownBy(() -> readers.read(dir, format, null)).isInstanceOf(CorpusReadException.class)
                    .hasMessageContaining("a ShapesWorld corpus without corpus.jsonl")
                    .hasMessageContaining("generate it again")
                    .extracting(e -> ((CorpusReadException) e).reason()).isEqualTo(CorpusReadException.Reason.NOT_A_CORPUS);
        }
    }

    @Test
    void corpusJsonlIsPreferredToEveryOtherManifestInTheDirectory() throws IOException {
        Path dir = root.resolve("preferred");
        png(dir.resolve("a.png"));
        text(dir.resolve("metadata.jsonl"), "{\"file_name\":\"a.png\",\"text\":\"imagefolder\"}\n");
        text(dir.resolve("list.csv"), "image,text\na.png,csv\n");
        text(dir.resolve("corpus.jsonl"), "{\"id\":\"mine\",\"image\":\"a.png\",\"altText\":\"recap\"}\n");

        assertThat(readers.detect(dir)).isEqualTo(CorpusFormat.RECAP);
        assertThat(readers.read(dir, null, null).records()).extracting(CorpusRecord::id, CorpusRecord::altText)
                .containsExactly(tuple("mine", "recap"));
    }

    @Test
    void aManifestThatCannotBeReadAsAWholeIsNotACorpusAndAColumnDoesNotApply() throws IOException {
        Path latin1 = root.resolve("latin1");
        png(latin1.resolve("a.png"));
        Files.createDirectories(latin1);
        Files.write(latin1.resolve("corpus.jsonl"), "{\"id\":\"caf\u00e9\",\"image\":\"a.png\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Path linked = Files.createDirectories(root.resolve("linked"));
        text(outside.resolve("corpus.jsonl"), "{\"id\":\"a\",\"image\":\"a.png\"}\n");
        Files.createSymbolicLink(linked.resolve("corpus.jsonl"), outside.resolve("corpus.jsonl"));

        assertThatThrownBy(() -> readers.read(latin1, null, null)).isInstanceOf(CorpusReadException.class)
                .hasMessageContaining("(at line 1): it is not UTF-8")
                .extracting(e -> ((CorpusReadException) e).reason()).isEqualTo(CorpusReadException.Reason.NOT_A_CORPUS);
        assertThatThrownBy(() -> readers.read(linked, null, null)).isInstanceOf(CorpusReadException.class)
                .extracting(e -> ((CorpusReadException) e).reason()).isEqualTo(CorpusReadException.Reason.UNSAFE_PATH);
        assertThatThrownBy(() -> readers.read(root.resolve("latin1"), CorpusFormat.RECAP, "caption"))
                .isInstanceOf(CorpusReadException.class)
                .extracting(e -> ((CorpusReadException) e).reason()).isEqualTo(CorpusReadException.Reason.UNKNOWN_COLUMN);
        assertThatThrownBy(() -> readers.read(Files.createDirectories(root.resolve("empty")), CorpusFormat.RECAP, null))
                .isInstanceOf(CorpusReadException.class).hasMessageContaining("no corpus.jsonl in");
    }

    @Test
    void theFormatIsNamedRecapAndShapesIsReadAsIt() {
        assertThat(CorpusFormat.RECAP.id()).isEqualTo("recap");
        assertThat(CorpusFormat.parse("recap")).isEqualTo(CorpusFormat.RECAP);
        assertThat(CorpusFormat.parse(" Shapes ")).isEqualTo(CorpusFormat.RECAP);
        assertThatThrownBy(() -> CorpusFormat.parse("parquet")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recap, sidecar, imagefolder, jsonl, csv, webdataset")
                .hasMessageContaining("shapes is read as recap");
    }

    /** A tar shard of one member; a short name takes one 512-byte header, so the member's data starts at 512. */
    private static void shard(Path file, String name, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
            tar.finish();
        }
    }
}
