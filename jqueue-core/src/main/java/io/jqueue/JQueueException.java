package io.jqueue;

/**
 * Root of every error jqueue throws; unchecked, and each subclass says what to do next.
 *
 * <p>Catch a subclass to react to one condition (for example {@link QueueFullException} for
 * back-pressure), or this type to handle every jqueue failure in one place.
 */
public class JQueueException extends RuntimeException {

  /** Creates an error with a message that tells the caller what went wrong and what to do. */
  public JQueueException(String message) {
    super(message);
  }

  /** Creates an error with a message and the underlying cause. */
  public JQueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
