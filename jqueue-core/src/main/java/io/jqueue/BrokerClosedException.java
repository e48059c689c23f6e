package io.jqueue;

/** The broker, publisher or subscription was closed, so the operation was refused. */
public class BrokerClosedException extends JQueueException {

  /** Creates the error with a message that says what to do next. */
  public BrokerClosedException(String message) {
    super(message);
  }

  /** Creates the error with a message and the underlying cause. */
  public BrokerClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
