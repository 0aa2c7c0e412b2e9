package io.recap.orchestrator.ingest.format;

import static io.recap.orchestrator.support.IngestFixtures.jpeg;
import static io.recap.orchestrator.support.IngestFixtures.png;
import static io.recap.orchestrator.support.IngestFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.store.AllowedRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV manifest as records: a row's other fields are its metadata, as strings, by their header names. */
class CsvManifestReaderTest {

    @TempDir
    Path base;

    @Test
    void aRowsOtherFieldsAreItsMetadataAsStringsInHeaderOrder() throws IOException {
        Path root = Files.createDirectories(base.resolve("corpora")).toRealPath();
        Path dir = root.resolve("csv");
        png(dir.resolve("a.png"));
        jpeg(dir.resolve("sub/b.jpg"));
        text(dir.resolve("list.csv"), "\uFEFFfile_name, width ,caption,,source,width\r\n"
                + "a.png,8,\"red, on white\",x,web,9\r\n"
                + "sub/b.jpg,,,,\"scan\nof a print\",\r\n");

        CorpusRead read = new CorpusReaders(AllowedRoots.of(root)).read(dir, null, null);

        assertThat(read.errors()).isEmpty();
        assertThat(read.records()).extracting(CorpusRecord::id, CorpusRecord::image, CorpusRecord::altText,
                CorpusRecord::split).containsExactly(
                        tuple("a", dir.resolve("a.png").toUri().toString(), "red, on white", "train"),
                        tuple("sub/b", dir.resolve("sub/b.jpg").toUri().toString(), "", "train"));
        // Names are trimmed; a nameless column and the second of two equal names are not kept, as they are not read.
        assertThat(read.records().get(0).metadata()).containsExactly(Map.entry("width", "8"),
                Map.entry("source", "web"));
        assertThat(read.records().get(1).metadata()).containsExactly(Map.entry("width", ""),
                Map.entry("source", "scan\nof a print"));
    }
}
