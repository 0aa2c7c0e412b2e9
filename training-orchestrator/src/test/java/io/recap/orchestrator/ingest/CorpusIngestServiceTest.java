package io.recap.orchestrator.ingest;

import static io.recap.orchestrator.support.IngestFixtures.jpeg;
import static io.recap.orchestrator.support.IngestFixtures.png;
import static io.recap.orchestrator.support.IngestFixtures.text;
import static io.recap.orchestrator.support.IngestFixtures.webp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.store.AllowedRoots;
import io.recap.core.corpus.CorpusRecord;
import io.recap.orchestrator.ingest.format.CorpusRead;
import io.recap.orchestrator.ingest.format.CorpusReaders;
import io.recap.orchestrator.ingest.format.ItemError;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import io.recap.orchestrator.support.IngestFixtures.RecordingPublisher;
import io.recap.service.web.InvalidFieldException;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every corpus format through {@link CorpusIngestService}, on small real corpora (PNG and JPEG files written by
 * ImageIO) under an allowed root, with a publisher that records the batches: what is published, what is left out
 * and why, and which corpora are refused as a whole. The REST and CLI paths are in {@link IngestApiTests}.
 */
class CorpusIngestServiceTest {

    @TempDir
    Path base;

    private Path root;
    private Path outside;
    private RecordingPublisher publisher;
    private CorpusIngestService service;

    @BeforeEach
    void roots() throws Exception {
        root = Files.createDirectories(base.resolve("corpora")).toRealPath();
        outside = Files.createDirectories(base.resolve("outside")).toRealPath();
        publisher = new RecordingPublisher();
        service = new CorpusIngestService(AllowedRoots.of(root), publisher, 100, Duration.ofSeconds(5));
    }

    @Test
    void aSidecarFolderIsReadWithNestedFoldersAndAnImageWithoutASidecarHasEmptyAltText() {
        Path dir = root.resolve("kohya");
        png(dir.resolve("a.png"));
        text(dir.resolve("a.txt"), "\uFEFFa red circle on white\n");
        jpeg(dir.resolve("b/c.jpg"));
        text(dir.resolve("b/c.caption"), "two blue squares");
        jpeg(dir.resolve("b/deeper/d.JPEG"));
        png(dir.resolve(".hidden/e.png"));
        png(dir.resolve("._a.png"));
        text(dir.resolve("notes.md"), "not an image");

        IngestReceipt receipt = service.ingest("kohya", new IngestRequest("kohya", null, null));

        assertThat(receipt.format()).isEqualTo("sidecar");
        assertThat(receipt.images()).isEqualTo(3);
        assertThat(receipt.withoutAltText()).isEqualTo(1);
        assertThat(receipt.errorCount()).isZero();
        Map<String, CorpusIngestBatch.Item> items = publisher.items();
        assertThat(items.keySet()).containsExactly("a", "b/c", "b/deeper/d");
        assertThat(items.get("a").altText()).isEqualTo("a red circle on white");
        assertThat(items.get("b/c").altText()).isEqualTo("two blue squares");
        assertThat(items.get("b/deeper/d").altText()).isEmpty();
        assertThat(items.get("b/c").image().uri()).isEqualTo(dir.resolve("b/c.jpg").toUri().toString());
        // A folder has neither splits nor metadata.
        assertThat(new CorpusReaders(AllowedRoots.of(root)).read(dir, null, null).records()).allSatisfy(record -> {
            assertThat(record.split()).isEqualTo(CorpusRecord.DEFAULT_SPLIT);
            assertThat(record.metadata()).isEmpty();
        });
    }

    @Test
    void aHuggingFaceImagefolderIsReadFromItsMetadataWithNestedFileNamesAndATextOrCaptionColumn() {
        Path dir = root.resolve("hf");
        png(dir.resolve("train/cat.png"));
        jpeg(dir.resolve("dog.jpg"));
        png(dir.resolve("unlisted.png"));
        text(dir.resolve("metadata.jsonl"), """
                {"file_name": "train/cat.png", "text": "a cat asleep", "width": 8}

                {"file_name": "dog.jpg", "caption": "a dog"}
                """);

        IngestReceipt receipt = service.ingest("hf", new IngestRequest(dir.toString(), null, null));

        assertThat(receipt.format()).isEqualTo("imagefolder");
        assertThat(receipt.manifestDir()).isEqualTo(dir.toString());
        Map<String, CorpusIngestBatch.Item> items = publisher.items();
        assertThat(items.keySet()).containsExactly("train/cat", "dog");
        assertThat(items.get("train/cat").altText()).isEqualTo("a cat asleep");
        assertThat(items.get("dog").altText()).isEqualTo("a dog");
        assertThat(items.get("train/cat").image().uri()).isEqualTo(dir.resolve("train/cat.png").toUri().toString());
    }

    @Test
    void aNamedTextColumnIsReadAndALineWithoutItIsAnErrorRatherThanAnEmptyAltText() {
        Path dir = root.resolve("hf-prompt");
        png(dir.resolve("a.png"));
        png(dir.resolve("b.png"));
        text(dir.resolve("metadata.jsonl"), """
                {"file_name": "a.png", "text": "ignored", "prompt": "a red half"}
                {"file_name": "b.png", "text": "no prompt here"}
                """);

        IngestReceipt receipt = service.ingest("hf-prompt", new IngestRequest("hf-prompt", "imagefolder", "prompt"));

        assertThat(publisher.items().get("a").altText()).isEqualTo("a red half");
        assertThat(publisher.items()).doesNotContainKey("b");
        assertThat(receipt.errors()).extracting(ItemError::reason, ItemError::path, ItemError::line)
                .containsExactly(tuple(Reason.MISSING_FIELD, "b.png", 2));
    }

    @Test
    void aJsonlManifestOfLocalPathsIsReadRelativeToItsDirectoryWithAnyOfItsPathAndTextColumns() {
        Path dir = root.resolve("jsonl");
        png(dir.resolve("images/one.png"));
        jpeg(dir.resolve("images/two.jpeg"));
        png(dir.resolve("three.png"));
        text(dir.resolve("captions.jsonl"), """
                {"image": "images/one.png", "text": "first"}
                {"path": "./images/two.jpeg", "alt_text": "second"}
                {"file_name": "three.png"}
                """);

        IngestReceipt receipt = service.ingest("jsonl", new IngestRequest("jsonl", null, null));

        assertThat(receipt.format()).isEqualTo("jsonl");
        assertThat(receipt.withoutAltText()).isEqualTo(1);
        Map<String, CorpusIngestBatch.Item> items = publisher.items();
        assertThat(items.keySet()).containsExactly("images/one", "images/two", "three");
        assertThat(items.values()).extracting(CorpusIngestBatch.Item::altText).containsExactly("first", "second", "");
        assertThat(items.get("images/two").image().uri()).isEqualTo(dir.resolve("images/two.jpeg").toUri().toString());
    }

    @Test
    void aCsvManifestIsReadWithQuotedCommasLineBreaksAndQuotesInItsCaptions() {
        Path dir = root.resolve("csv");
        png(dir.resolve("a.png"));
        jpeg(dir.resolve("sub/b.jpg"));
        png(dir.resolve("c.png"));
        text(dir.resolve("list.csv"), "\uFEFFfile_name,caption,source\r\n"
                + "a.png,\"red, on white\",web\r\n"
                + "sub/b.jpg,\"two lines:\nthe \"\"second\"\"\",web\r\n"
                + "c.png,,scan\r\n");

        IngestReceipt receipt = service.ingest("csv", new IngestRequest("csv", "CSV", null));

        assertThat(receipt.format()).isEqualTo("csv");
        assertThat(receipt.errorCount()).isZero();
        Map<String, CorpusIngestBatch.Item> items = publisher.items();
        assertThat(items.keySet()).containsExactly("a", "sub/b", "c");
        assertThat(items.get("a").altText()).isEqualTo("red, on white");
        assertThat(items.get("sub/b").altText()).isEqualTo("two lines:\nthe \"second\"");
        assertThat(items.get("c").altText()).isEmpty();
        assertThat(items.get("sub/b").image().uri()).isEqualTo(dir.resolve("sub/b.jpg").toUri().toString());
    }

    @Test
    void aShapesWorldCorpusIsDetectedByItsNeutralManifestAndKeepsItsOwnIdsAltTextsAndHumanCaptions() throws Exception {
        Path dir = root.resolve("shapes");
        CorpusGenerator.generate(CorpusConfig.of(dir, 5, 3), line -> { });
        List<CorpusEntry> entries = CorpusManifest.read(dir).entries();

        IngestReceipt receipt = service.ingest("shapes", new IngestRequest("shapes", null, null));

        // Read through corpus.jsonl, which ShapesWorld writes beside its own manifest.jsonl.
        assertThat(receipt.format()).isEqualTo("recap");
        assertThat(receipt.images()).isEqualTo(5);
        assertThat(publisher.items().values()).extracting(CorpusIngestBatch.Item::imageId,
                        CorpusIngestBatch.Item::altText, item -> item.image().uri())
                .containsExactlyElementsOf(entries.stream().map(e -> tuple(e.id(), e.altText(),
                        dir.resolve(e.file()).toUri().toString())).toList());
        CorpusRead read = new CorpusReaders(AllowedRoots.of(root)).read(dir, null, null);
        assertThat(read.records()).extracting(CorpusRecord::captions).containsExactlyElementsOf(entries.stream()
                .map(e -> Map.of(CaptionStyle.SHORT, e.captions().shortCaption(),
                        CaptionStyle.LONG, e.captions().longCaption())).toList());
    }

    @Test
    void badManifestLinesAreListedWithTheirReasonAndLineWhileTheGoodOnesArePublished() throws Exception {
        Path dir = root.resolve("mixed");
        png(dir.resolve("good.png"));
        jpeg(dir.resolve("also-good.jpg"));
        text(dir.resolve("notes.png"), "a text file with an image's name");
        png(outside.resolve("secret.png"));
        Files.createSymbolicLink(dir.resolve("escape.png"), outside.resolve("secret.png"));
        text(dir.resolve("manifest.jsonl"), """
                {"image": "good.png", "text": "kept"}
                {"image": "../outside/secret.png", "text": "traversal"}
                {"image": "escape.png", "text": "symlink out"}
                {"image": "%s", "text": "absolute path elsewhere"}
                {"image": "gone.png", "text": "missing"}
                {"image": "notes.png", "text": "not an image"}
                {"image": "good.png
                ["not", "an", "object"]
                {"text": "no path"}
                {"image": 42}
                {"image": "./good.png", "text": "the same id again"}
                {"image": "also-good.jpg", "caption": "kept too"}
                """.formatted(outside.resolve("secret.png")));

        IngestReceipt receipt = service.ingest("mixed", new IngestRequest("mixed", null, null));

        assertThat(receipt.format()).isEqualTo("jsonl");
        assertThat(publisher.items().keySet()).containsExactly("good", "also-good");
        assertThat(receipt.images()).isEqualTo(2);
        assertThat(receipt.errorCount()).isEqualTo(10);
        assertThat(receipt.errors()).extracting(ItemError::line, ItemError::reason, ItemError::path).containsExactly(
                tuple(2, Reason.UNSAFE_PATH, "../outside/secret.png"),
                tuple(3, Reason.UNSAFE_PATH, "escape.png"),
                tuple(4, Reason.UNSAFE_PATH, outside.resolve("secret.png").toString()),
                tuple(5, Reason.MISSING_IMAGE, "gone.png"),
                tuple(6, Reason.UNSUPPORTED_IMAGE, "notes.png"),
                tuple(7, Reason.MALFORMED_LINE, null),
                tuple(8, Reason.MALFORMED_LINE, null),
                tuple(9, Reason.MISSING_FIELD, null),
                tuple(10, Reason.MALFORMED_LINE, null),
                tuple(11, Reason.DUPLICATE_ID, "./good.png"));
        assertThat(receipt.errors().get(0).detail()).contains("'..'");
        assertThat(receipt.errors().get(1).detail()).contains("outside the allowed roots");
        assertThat(receipt.errors().get(4).detail()).contains("not a PNG, JPEG or WebP");
        assertThat(receipt.errors().get(8).detail()).contains("'image' must be a string");
    }

    @Test
    void aSidecarFolderRefusesSymlinksOutOfTheRootsAndFilesThatAreNotImagesButKeepsTheRest() throws Exception {
        Path dir = root.resolve("sidecar-bad");
        png(dir.resolve("ok.png"));
        text(dir.resolve("ok.txt"), "fine");
        text(dir.resolve("fake.png"), "GIF89a, or rather not");
        text(dir.resolve("fake.webp"), "RIFF, but a text file");
        webp(dir.resolve("real.webp"));
        png(outside.resolve("secret.png"));
        text(outside.resolve("secret.txt"), "the secret caption");
        png(outside.resolve("folder/inner.png"));
        Files.createSymbolicLink(dir.resolve("link.png"), outside.resolve("secret.png"));
        Files.createSymbolicLink(dir.resolve("linked-folder"), outside.resolve("folder"));
        png(dir.resolve("leaky.png"));
        Files.createSymbolicLink(dir.resolve("leaky.txt"), outside.resolve("secret.txt"));
        png(root.resolve("shared/inside.png"));
        Files.createSymbolicLink(dir.resolve("inside-link"), root.resolve("shared"));

        IngestReceipt receipt = service.ingest("sidecar-bad", new IngestRequest("sidecar-bad", "sidecar", null));

        assertThat(publisher.items().keySet()).containsExactly("inside-link/inside", "ok", "real");
        assertThat(publisher.items().get("ok").altText()).isEqualTo("fine");
        assertThat(publisher.items().get("inside-link/inside").image().uri())
                .isEqualTo(root.resolve("shared/inside.png").toUri().toString());
        assertThat(receipt.errors()).extracting(ItemError::reason, ItemError::path, ItemError::line)
                .containsExactlyInAnyOrder(
                        tuple(Reason.UNSAFE_PATH, "linked-folder", null),
                        tuple(Reason.UNSUPPORTED_IMAGE, "fake.png", null),
                        tuple(Reason.UNSAFE_PATH, "leaky.png", null),
                        tuple(Reason.UNSAFE_PATH, "link.png", null),
                        tuple(Reason.UNSUPPORTED_IMAGE, "fake.webp", null));
        assertThat(receipt.errors()).filteredOn(e -> e.path().equals("fake.webp")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("not a PNG, JPEG or WebP"));
    }

    @Test
    void aCsvRecordWithAMissingColumnOrABrokenQuoteIsAnErrorOfThatRecordOnly() {
        Path dir = root.resolve("csv-bad");
        png(dir.resolve("a.png"));
        png(dir.resolve("b.png"));
        png(dir.resolve("c.png"));
        png(dir.resolve("d.png"));
        text(dir.resolve("list.csv"), """
                image,text
                a.png,first
                b.png
                c.png,"closed" but not done
                d.png,"last, and fine"
                """);

        IngestReceipt receipt = service.ingest("csv-bad", new IngestRequest("csv-bad", null, null));

        assertThat(publisher.items().keySet()).containsExactly("a", "d");
        assertThat(publisher.items().get("d").altText()).isEqualTo("last, and fine");
        assertThat(receipt.errors()).extracting(ItemError::reason, ItemError::line)
                .containsExactly(tuple(Reason.MALFORMED_LINE, 3), tuple(Reason.MALFORMED_LINE, 4));
        assertThat(receipt.errors().get(0).detail()).isEqualTo("the record has 1 field(s); the header has 2");
    }

    @Test
    void theReceiptListsTheFirstHundredErrorsAndCountsThemAll() {
        Path dir = root.resolve("many-missing");
        png(dir.resolve("present.png"));
        String lines = IntStream.range(0, 150).mapToObj(i -> "{\"image\": \"missing-" + i + ".png\"}")
                .collect(Collectors.joining("\n", "{\"image\": \"present.png\"}\n", "\n"));
        text(dir.resolve("list.jsonl"), lines);

        IngestReceipt receipt = service.ingest("many", new IngestRequest("many-missing", null, null));

        assertThat(receipt.images()).isEqualTo(1);
        assertThat(receipt.errorCount()).isEqualTo(150);
        assertThat(receipt.errors()).hasSize(IngestReceipt.MAX_ERRORS);
        assertThat(receipt.errors().get(99).line()).isEqualTo(101);
    }

    @Test
    void corporaThatCannotBeReadAsAWholeAreRefusedWithAReasonAndNothingIsPublished() throws Exception {
        png(root.resolve("two/a.png"));
        text(root.resolve("two/a.jsonl"), "{\"image\": \"a.png\"}\n");
        text(root.resolve("two/b.csv"), "image\na.png\n");
        png(root.resolve("no-path-column/a.png"));
        text(root.resolve("no-path-column/list.csv"), "picture,text\na.png,x\n");
        png(root.resolve("latin1/a.png"));
        Files.write(root.resolve("latin1/list.jsonl"),
                "{\"image\": \"a.png\", \"text\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        png(root.resolve("no-caption-column/a.png"));
        text(root.resolve("no-caption-column/list.csv"), "image,text\na.png,x\n");
        Files.createDirectories(root.resolve("empty"));
        text(root.resolve("all-missing/list.jsonl"), "{\"image\": \"x.png\"}\n{\"image\": \"y.png\"}\n");
        text(root.resolve("mixed-reasons/list.jsonl"), "{\"image\": \"x.png\"}\nnot json\n");
        text(outside.resolve("manifest.jsonl"), "{\"image\": \"a.png\"}\n");
        png(root.resolve("linked-manifest/a.png"));
        Files.createSymbolicLink(root.resolve("linked-manifest/list.jsonl"), outside.resolve("manifest.jsonl"));

        record Case(IngestRequest request, String field, String reason) {
        }
        for (Case c : List.of(
                new Case(new IngestRequest("two", "parquet", null), "format", "UNKNOWN_FORMAT"),
                new Case(new IngestRequest("two", null, null), "manifestDir", "AMBIGUOUS_MANIFEST"),
                new Case(new IngestRequest("no-path-column", null, null), "manifestDir", "NOT_A_CORPUS"),
                new Case(new IngestRequest("no-caption-column", "csv", "caption"), "textColumn", "UNKNOWN_COLUMN"),
                new Case(new IngestRequest("empty", "sidecar", "caption"), "textColumn", "UNKNOWN_COLUMN"),
                new Case(new IngestRequest("latin1", null, null), "manifestDir", "NOT_A_CORPUS"),
                new Case(new IngestRequest("empty", null, null), "manifestDir", "NOT_A_CORPUS"),
                new Case(new IngestRequest("empty", "imagefolder", null), "manifestDir", "NOT_A_CORPUS"),
                new Case(new IngestRequest("all-missing", null, null), "manifestDir", "MISSING_IMAGE"),
                new Case(new IngestRequest("mixed-reasons", null, null), "manifestDir", "NO_USABLE_ITEMS"),
                new Case(new IngestRequest("linked-manifest", null, null), "manifestDir", "UNSAFE_PATH"),
                new Case(new IngestRequest(outside.toString(), null, null), "manifestDir", "UNSAFE_PATH"))) {
            assertThatThrownBy(() -> service.ingest("refused", c.request()))
                    .as(c.toString())
                    .isInstanceOfSatisfying(InvalidFieldException.class, e -> {
                        assertThat(e.reason()).as(e.getMessage()).isEqualTo(c.reason());
                        assertThat(e.field()).isEqualTo(c.field());
                    });
        }
        assertThat(publisher.batches()).isEmpty();
    }
}
