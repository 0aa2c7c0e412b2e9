package io.recap.orchestrator.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.messages.CorpusIngestBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records into batches: the content-addressed batch ids, and what of a record the message carries. */
class ManifestBatchesTest {

    private static final String TAR = ImageRef.tarMember("file:///data/corpora/wds/00000.tar", "000.png", 512, 1234)
            .uri();

    private static final List<CorpusRecord> RECORDS = List.of(
            new CorpusRecord("a", "file:///data/corpora/x/a.png", "a red half", "train"),
            new CorpusRecord("00000/000", TAR, "", "train"),
            new CorpusRecord("d e", "file:///data/corpora/x/d%20e.jpg", "two lines:\nthe \"second\", \u00fcn\u00efcode",
                    "train"));

    @Test
    void batchIdsAreTheSameForTheSameIdsImagesAndAltTexts() {
        // Pinned: the catalog skips a batch id it has seen, so a change here would register every corpus again.
        assertThat(ManifestBatches.of("pinned", RECORDS, 2)).extracting(CorpusIngestBatch::batchId)
                .containsExactly("m-f3c97db8ec57fbdccce975bb", "m-4f6e6cf72b2b7ce8120d5633");
        assertThat(ManifestBatches.of("pinned", RECORDS, 100)).extracting(CorpusIngestBatch::batchId)
                .containsExactly("m-043c94838f0f1531013376ae");
    }

    @Test
    void anItemCarriesTheIdImageAndAltTextAndNeitherSplitNorCaptionsNorMetadataChangeTheBatch() {
        CorpusRecord full = new CorpusRecord("a", "file:///data/corpora/x/a.png", "a red half", "eval",
                Map.of(CaptionStyle.SHORT, "Red."), Map.of("source", "camera"));

        List<CorpusIngestBatch> batches = ManifestBatches.of("pinned", List.of(full, RECORDS.get(1)), 2);

        assertThat(batches.get(0).batchId()).isEqualTo("m-f3c97db8ec57fbdccce975bb");
        assertThat(batches.get(0).items()).containsExactly(
                new CorpusIngestBatch.Item("a", ImageRef.ofUri("file:///data/corpora/x/a.png"), "a red half"),
                new CorpusIngestBatch.Item("00000/000", ImageRef.ofUri(TAR), ""));
    }

    @Test
    void aRecordWhoseImageIsNotResolvedIsRefused() {
        for (String image : List.of("images/a.png", "file:images/a.png", "tar:file:00000.tar!/k.png?offset=512&length=9")) {
            assertThatThrownBy(() -> ManifestBatches.of("c", List.of(new CorpusRecord("a", image, "", null)), 10))
                    .as(image).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not resolved");
        }
    }
}
