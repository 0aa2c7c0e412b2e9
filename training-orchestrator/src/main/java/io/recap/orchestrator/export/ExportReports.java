package io.recap.orchestrator.export;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The summaries of the latest streamed exports, by export id, so that a client can ask what a stream it has read
 * left out (a stream cannot carry that at its end without breaking the format it is in). Kept in memory, the newest
 * {@link #KEPT}; an export is cheap to repeat, and its skipped images stay in the catalog either way.
 */
public class ExportReports {

    static final int KEPT = 256;

    private final Map<String, ExportSummary> reports = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExportSummary> eldest) {
            return size() > KEPT;
        }
    };

    public String newId() {
        return "exp-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public synchronized void put(String exportId, ExportSummary summary) {
        reports.put(exportId, summary);
    }

    /** The summary of a finished export of {@code corpusId}; empty while it streams, or when unknown or dropped. */
    public synchronized Optional<ExportSummary> get(String corpusId, String exportId) {
        return Optional.ofNullable(reports.get(exportId)).filter(s -> s.corpusId().equals(corpusId));
    }
}
