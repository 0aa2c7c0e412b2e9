package io.recap.orchestrator.ingest.format;

import io.recap.orchestrator.ingest.format.ItemError.Reason;

/** One item refused while it is read; the reader records it as an {@link ItemError} and goes on. */
final class ItemRejectedException extends RuntimeException {

    private final Reason reason;

    ItemRejectedException(Reason reason, String detail) {
        // No stack trace: thousands of these may be thrown for one bad corpus, and each is reported, not logged.
        super(detail, null, false, false);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
