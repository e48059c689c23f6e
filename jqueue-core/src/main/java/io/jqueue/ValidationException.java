package io.jqueue;

import java.util.Optional;

/** A message, spec or option is invalid; the message names the field and the rule it broke. */
public class ValidationException extends JQueueException {
  private final String field;

  /** Creates the error with a message that says what to do next. */
  public ValidationException(String message) {
    this(null, message, null);
  }

  /** Creates the error with a message and the underlying cause. */
  public ValidationException(String message, Throwable cause) {
    this(null, message, cause);
  }

  private ValidationException(String field, String message, Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  /** An error about {@code field} (for example {@code action} or {@code payload}). */
  public static ValidationException forField(String field, String message) {
    return new ValidationException(field, message, null);
  }

  /** The field the error is about, when one field is to blame. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
