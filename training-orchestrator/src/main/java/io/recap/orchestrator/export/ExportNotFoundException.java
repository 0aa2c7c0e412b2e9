package io.recap.orchestrator.export;

/** No finished export of that id for that corpus (still streaming, never started, or no longer kept). */
public class ExportNotFoundException extends RuntimeException {

    public ExportNotFoundException(String corpusId, String exportId) {
        super("no finished export " + exportId + " of corpus " + corpusId
                + " (it may still be streaming, or be older than the newest " + ExportReports.KEPT + ")");
    }
}
