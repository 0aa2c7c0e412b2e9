package io.recap.orchestrator.web;

import io.recap.core.domain.ModelRef;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.catalog.CorpusDetails;
import io.recap.orchestrator.catalog.CorpusSummary;
import io.recap.orchestrator.catalog.RelabelFailurePage;
import io.recap.orchestrator.catalog.SnapshotManifest;
import io.recap.orchestrator.ingest.CorpusIngestService;
import io.recap.orchestrator.ingest.IngestReceipt;
import io.recap.orchestrator.ingest.IngestRequest;
import io.recap.service.web.InvalidFieldException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /corpora}: the catalog (list, one corpus with its counts), ingestion from a corpus directory, dataset snapshot export. */
@RestController
@RequestMapping("/corpora")
public class CorpusController {

    private final CatalogService catalog;
    private final CorpusIngestService ingest;

    public CorpusController(CatalogService catalog, CorpusIngestService ingest) {
        this.catalog = catalog;
        this.ingest = ingest;
    }

    @GetMapping
    public List<CorpusSummary> list() {
        return catalog.corpora();
    }

    @GetMapping("/{corpusId}")
    public CorpusDetails get(@PathVariable String corpusId) {
        return catalog.corpus(corpusId);
    }

    /**
     * The images whose relabel failed (of {@code captioner}, or of every captioner version when it is left out),
     * newest first, then by image id; {@code total} counts all pages.
     */
    @GetMapping("/{corpusId}/failures")
    public RelabelFailurePage failures(@PathVariable String corpusId,
            @RequestParam(required = false) String captioner,
            @RequestParam(defaultValue = "0") @Min(value = 0, message = "page must be 0 or more but was ${validatedValue}")
            int page,
            @RequestParam(defaultValue = "50") @Min(value = 1, message = "size must be 1..1000 but was ${validatedValue}")
            @Max(value = 1000, message = "size must be 1..1000 but was ${validatedValue}") int size) {
        return catalog.failures(corpusId, captioner == null ? null : captionerRef(captioner), page, size);
    }

    /**
     * Publishes the usable images of a corpus directory ({@code manifestDir}, under the allowed roots, in the
     * {@code format} named or detected) to {@code recap.corpus.ingest}; the catalog registers them asynchronously
     * and idempotently (202). The receipt lists the items left out.
     */
    @PostMapping("/{corpusId}/ingest")
    public ResponseEntity<IngestReceipt> ingest(@PathVariable String corpusId, @RequestBody IngestRequest request) {
        IngestReceipt receipt = ingest.ingest(corpusId, request);
        return ResponseEntity.accepted().location(URI.create("/corpora/" + corpusId)).body(receipt);
    }

    /** Exports the corpus with the captions of {@code captioner} ({@code captioner/name/version}) to the store. */
    @PostMapping("/{corpusId}/snapshots")
    public ResponseEntity<SnapshotManifest> snapshot(@PathVariable String corpusId, @RequestParam String captioner) {
        SnapshotManifest snapshot = catalog.exportSnapshot(corpusId, captionerRef(captioner));
        return ResponseEntity.created(URI.create("/corpora/" + corpusId + "/snapshots/" + snapshot.snapshotId()))
                .body(snapshot);
    }

    static ModelRef captionerRef(String captioner) {
        try {
            return ModelRef.parse(captioner).requireKind(io.recap.core.domain.ModelKind.CAPTIONER);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("captioner", e.getMessage());
        }
    }
}
