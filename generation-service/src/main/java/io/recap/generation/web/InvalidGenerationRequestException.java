package io.recap.generation.web;

/** A request field is missing or out of range; answered 400 naming the field. */
class InvalidGenerationRequestException extends RuntimeException {

    private final String field;

    InvalidGenerationRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
