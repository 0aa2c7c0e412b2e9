package io.recap.orchestrator.export;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ModelRef;

/**
 * What to export.
 *
 * @param format the shape of the output
 * @param captioner the captioner version whose captions are exported
 * @param style the style written as the main text ({@code name.txt}, {@code text}, {@code key.txt}); for
 *        {@link ExportFormat#SIDECAR} null writes one file per style ({@code name.short.txt}, {@code name.long.txt})
 *        instead; the other formats default to LONG
 * @param images whether a sidecar export carries the images too (WebDataset always does, JSONL never)
 * @param after resume after this image id (the export runs in image-id order); null from the start
 * @param limit at most this many images are looked at (exported or skipped), so a client can page; 0 for all
 */
public record ExportRequest(ExportFormat format, ModelRef captioner, CaptionStyle style, boolean images,
        String after, int limit) {

    public ExportRequest {
        if (format == null || captioner == null) {
            throw new IllegalArgumentException("an export needs a format and a captioner");
        }
        if (style == CaptionStyle.ALT) {
            throw new IllegalArgumentException("style must be short or long; the alt-text is exported beside them");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (all) or more but was " + limit);
        }
    }

    /** The style of the main text: the one asked for, LONG by default. */
    CaptionStyle mainStyle() {
        return style == null ? CaptionStyle.LONG : style;
    }
}
