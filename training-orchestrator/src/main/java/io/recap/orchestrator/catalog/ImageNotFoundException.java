package io.recap.orchestrator.catalog;

/** The corpus has no image with that id, or its file can no longer be read. */
public class ImageNotFoundException extends RuntimeException {

    public ImageNotFoundException(String message) {
        super(message);
    }
}
