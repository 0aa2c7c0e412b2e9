package io.recap.orchestrator.web;

import io.recap.core.domain.ModelRef;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.catalog.CorpusDetails;
import io.recap.orchestrator.catalog.CorpusSummary;
import io.recap.orchestrator.catalog.SnapshotManifest;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /corpora}: the catalog (list, one corpus with its counts) and dataset snapshot export. */
@RestController
@RequestMapping("/corpora")
public class CorpusController {

    private final CatalogService catalog;

    public CorpusController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    public List<CorpusSummary> list() {
        return catalog.corpora();
    }

    @GetMapping("/{corpusId}")
    public CorpusDetails get(@PathVariable String corpusId) {
        return catalog.corpus(corpusId);
    }

    /** Exports the corpus with the captions of {@code captioner} ({@code captioner/name/version}) to the store. */
    @PostMapping("/{corpusId}/snapshots")
    public ResponseEntity<SnapshotManifest> snapshot(@PathVariable String corpusId, @RequestParam String captioner) {
        ModelRef ref;
        try {
            ref = ModelRef.parse(captioner).requireKind(io.recap.core.domain.ModelKind.CAPTIONER);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("captioner", e.getMessage());
        }
        SnapshotManifest snapshot = catalog.exportSnapshot(corpusId, ref);
        return ResponseEntity.created(URI.create("/corpora/" + corpusId + "/snapshots/" + snapshot.snapshotId()))
                .body(snapshot);
    }
}
