package io.jqueue;

/** The broker cannot be reached, or its connection was lost before the operation finished. */
public class BrokerUnavailableException extends JQueueException {

  /** Creates the error with a message that says what to do next. */
  public BrokerUnavailableException(String message) {
    super(message);
  }

  /** Creates the error with a message and the underlying cause. */
  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
