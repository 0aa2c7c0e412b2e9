package io.recap.orchestrator.catalog;

import java.time.Instant;
import java.util.List;

/**
 * One page of a corpus's recorded relabel failures ({@code GET /corpora/{id}/failures}), newest first and, at the
 * same time, by image id, so that paging is stable while nothing is recorded.
 *
 * @param total how many failures match, over all pages
 */
public record RelabelFailurePage(String corpusId, String captioner, int page, int size, long total,
        List<Failure> failures) {

    /** The last failed result of one image by one captioner version; a later success deletes it. */
    public record Failure(String imageId, String imageUri, String captioner, String code, String message,
            Instant at) {
    }
}
