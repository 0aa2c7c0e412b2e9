package io.recap.orchestrator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Corpus ingestion from a manifest directory ({@code recap.orchestrator.ingest.*}).
 *
 * @param allowedRoots the only directories {@code POST /corpora/{id}/ingest} reads manifests and catalogues
 *        images from (created when missing); give relabel workers the same roots
 *        ({@code recap.relabel.allowed-roots}), or they will refuse the images
 * @param batchSize images per {@code CorpusIngestBatch} published to {@code recap.corpus.ingest}
 * @param publishTimeout how long publishing all batches of one request may take
 */
@ConfigurationProperties("recap.orchestrator.ingest")
public record IngestProperties(
        @DefaultValue("recap-data/corpora") List<Path> allowedRoots,
        @DefaultValue("100") int batchSize,
        @DefaultValue("60s") Duration publishTimeout) {

    public IngestProperties {
        if (allowedRoots == null || allowedRoots.isEmpty()) {
            throw new IllegalArgumentException("recap.orchestrator.ingest.allowed-roots must name at least one directory");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("recap.orchestrator.ingest.batch-size must be 1..10000");
        }
        allowedRoots = List.copyOf(allowedRoots);
    }
}
