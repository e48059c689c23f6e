package io.jqueue;

/** A request got no reply within its timeout. */
public class RequestTimeoutException extends JQueueException {

  /** Creates the error with a message that says what to do next. */
  public RequestTimeoutException(String message) {
    super(message);
  }

  /** Creates the error with a message and the underlying cause. */
  public RequestTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
