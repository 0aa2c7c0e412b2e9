package io.recap.caption.web;

/** A request field is missing or malformed; answered 400 naming the field. */
class InvalidCaptionRequestException extends RuntimeException {

    private final String field;

    InvalidCaptionRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
