package io.jqueue;

/** The responder of a request failed; the message carries its error text. */
public class RemoteHandlerException extends JQueueException {

  /** Creates the error with a message that says what to do next. */
  public RemoteHandlerException(String message) {
    super(message);
  }

  /** Creates the error with a message and the underlying cause. */
  public RemoteHandlerException(String message, Throwable cause) {
    super(message, cause);
  }
}
