package io.recap.orchestrator.catalog;

/** No corpus with that id has been ingested. */
public class CorpusNotFoundException extends RuntimeException {

    public CorpusNotFoundException(String corpusId) {
        super("corpus '" + corpusId + "' is not in the catalog");
    }
}
