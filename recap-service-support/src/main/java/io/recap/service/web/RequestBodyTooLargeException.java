package io.recap.service.web;

import java.io.IOException;

/**
 * Thrown by a request body's input stream once more bytes have arrived than the service accepts. An
 * {@link IOException}, so that it surfaces from whatever was reading the body (Jackson, a multipart parser) and
 * {@link ServiceProblemHandler} can answer 413 instead of a parse error.
 */
public class RequestBodyTooLargeException extends IOException {

    public RequestBodyTooLargeException(long maxBytes) {
        super("request body exceeds the limit of " + maxBytes + " bytes");
    }
}
