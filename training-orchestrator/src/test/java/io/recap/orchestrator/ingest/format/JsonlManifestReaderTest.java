package io.recap.orchestrator.ingest.format;

import static io.recap.orchestrator.support.IngestFixtures.png;
import static io.recap.orchestrator.support.IngestFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.store.AllowedRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSONL and imagefolder manifests as records: a line's image and alt-text, and its other columns as metadata. What
 * is published and left out is in {@code CorpusIngestServiceTest}.
 */
class JsonlManifestReaderTest {

    @TempDir
    Path base;

    private Path root;
    private CorpusReaders readers;

    @BeforeEach
    void roots() throws IOException {
        root = Files.createDirectories(base.resolve("corpora")).toRealPath();
        readers = new CorpusReaders(AllowedRoots.of(root));
    }

    @Test
    void aLinesOtherColumnsAreItsMetadataWithTheirJsonTypesAndThePathAndTextItWasReadFromAreNot() {
        Path dir = root.resolve("jsonl");
        png(dir.resolve("a.png"));
        png(dir.resolve("b.png"));
        png(dir.resolve("c.png"));
        text(dir.resolve("list.jsonl"), """
                {"image": "a.png", "text": "first", "caption": "not the alt-text", "width": 8, "score": 0.5, "nsfw": false, "source": {"url": "http://x", "tags": ["a", null]}}
                {"path": "b.png", "image": null, "alt_text": "second", "": "a column without a name"}
                {"file_name": "c.png"}
                """);

        CorpusRead read = readers.read(dir, null, null);

        assertThat(read.errors()).isEmpty();
        assertThat(read.records()).extracting(CorpusRecord::id, CorpusRecord::image, CorpusRecord::altText,
                CorpusRecord::split).containsExactly(
                        tuple("a", dir.resolve("a.png").toUri().toString(), "first", "train"),
                        tuple("b", dir.resolve("b.png").toUri().toString(), "second", "train"),
                        tuple("c", dir.resolve("c.png").toUri().toString(), "", "train"));
        assertThat(read.records().get(0).metadata()).containsExactly(
                Map.entry("caption", "not the alt-text"), Map.entry("width", 8L), Map.entry("score", 0.5),
                Map.entry("nsfw", false),
                Map.entry("source", Map.of("url", "http://x", "tags", java.util.Arrays.asList("a", null))));
        // The unset path column stays (it is a column of the line); a column without a name cannot be kept.
        assertThat(read.records().get(1).metadata()).containsOnlyKeys("image").containsValue(null);
        assertThat(read.records().get(2).metadata()).isEmpty();
        assertThat(read.records()).allSatisfy(record -> assertThat(record.captions()).isEmpty());
    }

    @Test
    void anImagefolderLineKeepsItsOtherColumnsAndANamedTextColumnIsNotAmongThem() {
        Path dir = root.resolve("hf");
        png(dir.resolve("train/cat.png"));
        text(dir.resolve("metadata.jsonl"), """
                {"file_name": "train/cat.png", "text": "a cat asleep", "prompt": "a cat", "width": 8}
                """);

        CorpusRead byDefault = readers.read(dir, null, null);
        CorpusRead byPrompt = readers.read(dir, CorpusFormat.IMAGEFOLDER, "prompt");

        assertThat(byDefault.format()).isEqualTo(CorpusFormat.IMAGEFOLDER);
        assertThat(byDefault.records()).singleElement().satisfies(record -> {
            assertThat(record.altText()).isEqualTo("a cat asleep");
            assertThat(record.metadata()).isEqualTo(Map.of("prompt", "a cat", "width", 8L));
        });
        assertThat(byPrompt.records()).singleElement().satisfies(record -> {
            assertThat(record.altText()).isEqualTo("a cat");
            assertThat(record.metadata()).isEqualTo(Map.of("text", "a cat asleep", "width", 8L));
        });
        assertThat(List.of(byDefault, byPrompt)).allSatisfy(read -> assertThat(read.errors()).isEmpty());
    }
}
