package io.recap.shapes.cli;

/** A usage error: reported as "error: message" with the usage text, exit status 2. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }
}
