package io.recap.orchestrator.catalog;

/** An image asked for is not there: a corpus image unknown or whose file is gone, a job image not written. */
public class ImageNotFoundException extends RuntimeException {

    public ImageNotFoundException(String message) {
        super(message);
    }
}
