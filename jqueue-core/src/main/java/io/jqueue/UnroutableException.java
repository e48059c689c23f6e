package io.jqueue;

/** The broker accepted the connection but could route the message to no queue. */
public class UnroutableException extends JQueueException {

  /** Creates the error with a message that says what to do next. */
  public UnroutableException(String message) {
    super(message);
  }

  /** Creates the error with a message and the underlying cause. */
  public UnroutableException(String message, Throwable cause) {
    super(message, cause);
  }
}
