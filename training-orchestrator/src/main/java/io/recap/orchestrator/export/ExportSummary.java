package io.recap.orchestrator.export;

import java.util.List;
import java.util.Map;

/**
 * What one export wrote and what it left out.
 *
 * @param images images looked at
 * @param exported images written
 * @param skippedByReason images left out, by reason: {@code NOT_CAPTIONED} (no caption and no failure by this
 *        captioner yet), {@code FAILED:<code>} (its relabel failed), {@code MISSING_STYLE} (captioned, but not in
 *        the style asked for), {@code UNREADABLE_IMAGE} (its image could not be read for a format that carries it)
 * @param skipped the first {@link #MAX_LISTED} of them
 * @param lastImageId the last image looked at: pass it as {@code after} to go on; null when none was
 * @param complete whether the corpus's last image was reached
 */
public record ExportSummary(String corpusId, String captioner, String format, long images, long exported,
        Map<String, Long> skippedByReason, List<Skipped> skipped, String lastImageId, boolean complete) {

    public static final int MAX_LISTED = 100;

    public ExportSummary {
        skippedByReason = Map.copyOf(skippedByReason);
        skipped = List.copyOf(skipped);
    }

    /** One image left out. */
    public record Skipped(String imageId, String reason, String detail) {
    }
}
