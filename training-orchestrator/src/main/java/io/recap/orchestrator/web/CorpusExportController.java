package io.recap.orchestrator.web;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.Require;
import io.recap.orchestrator.export.CorpusExporter;
import io.recap.orchestrator.export.ExportFormat;
import io.recap.orchestrator.export.ExportNotFoundException;
import io.recap.orchestrator.export.ExportReports;
import io.recap.orchestrator.export.ExportRequest;
import io.recap.orchestrator.export.ExportSummary;
import io.recap.service.web.InvalidFieldException;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code /corpora/{id}/export}: a corpus's captions streamed back out as sidecar text files, a
 * {@code metadata.jsonl} or a WebDataset shard; {@code /corpora/{id}/exports/{exportId}}: what a finished stream
 * wrote and skipped.
 */
@RestController
@RequestMapping("/corpora/{corpusId}")
public class CorpusExportController {

    /** Names the export whose summary {@code GET /corpora/{id}/exports/{exportId}} returns once it is streamed. */
    public static final String EXPORT_ID_HEADER = "Recap-Export-Id";

    private final CorpusExporter exporter;
    private final ExportReports reports;

    public CorpusExportController(CorpusExporter exporter, ExportReports reports) {
        this.exporter = exporter;
        this.reports = reports;
    }

    /**
     * Streams the captions of {@code captioner} in image-id order. Every parameter is checked before the first
     * byte; a client that loses the stream asks again with {@code after} = the last image id it received whole.
     */
    @GetMapping("/export")
    public ResponseEntity<StreamingResponseBody> export(@PathVariable String corpusId,
            @RequestParam String format, @RequestParam String captioner,
            @RequestParam(required = false) String style,
            @RequestParam(defaultValue = "false") boolean images,
            @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "0") int limit) {
        checkAfter(after);
        ExportRequest request;
        try {
            request = new ExportRequest(parseFormat(format), CorpusController.captionerRef(captioner),
                    parseStyle(style), images, after, limit);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(limit < 0 ? "limit" : "style", e.getMessage());
        }
        exporter.requireCorpus(corpusId);
        String exportId = reports.newId();
        StreamingResponseBody body = out -> reports.put(exportId, exporter.export(corpusId, request, out));
        return ResponseEntity.ok()
                .header(EXPORT_ID_HEADER, exportId)
                .contentType(MediaType.parseMediaType(request.format().mediaType()))
                .body(body);
    }

    @GetMapping("/exports/{exportId}")
    public ExportSummary summary(@PathVariable String corpusId, @PathVariable String exportId) {
        return reports.get(corpusId, exportId).orElseThrow(() -> new ExportNotFoundException(corpusId, exportId));
    }

    /**
     * {@code after} names an image id, so it is held to what an image id may be (non-blank, at most 1024 characters,
     * no control characters); empty means from the start. Anything else could never match and would quietly
     * export from wherever it sorts.
     */
    private static void checkAfter(String after) {
        if (after == null || after.isEmpty()) {
            return;
        }
        try {
            Require.label(after, "after");
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("after", e.getMessage() + " (it names the last image id received)");
        }
    }

    private static ExportFormat parseFormat(String format) {
        try {
            return ExportFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("format", e.getMessage());
        }
    }

    private static CaptionStyle parseStyle(String style) {
        if (style == null || style.isBlank()) {
            return null;
        }
        try {
            return CaptionStyle.valueOf(style.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("style", "style must be short or long but was '" + style + "'");
        }
    }
}
