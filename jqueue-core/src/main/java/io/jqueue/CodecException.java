package io.jqueue;

/** A payload could not be encoded or decoded by the codec in use. */
public class CodecException extends JQueueException {

  /** Creates the error with a message that says what to do next. */
  public CodecException(String message) {
    super(message);
  }

  /** Creates the error with a message and the underlying cause. */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
