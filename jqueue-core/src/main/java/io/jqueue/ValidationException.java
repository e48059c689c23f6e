package io.jqueue;

/** A message, spec or option is invalid; the message names the field and the rule it broke. */
public class ValidationException extends JQueueException {

  /** Creates the error with a message that says what to do next. */
  public ValidationException(String message) {
    super(message);
  }

  /** Creates the error with a message and the underlying cause. */
  public ValidationException(String message, Throwable cause) {
    super(message, cause);
  }
}
