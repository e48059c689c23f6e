package io.jqueue;

import java.util.Objects;

/**
 * The responder of a request failed: the reply carried its error instead of an answer. The request
 * was acknowledged and will not be retried; fix the responder, or send the request again.
 */
public class RemoteHandlerException extends JQueueException {
  private final String remoteErrorClass;
  private final String remoteMessage;

  /** Creates the error with a message that says what to do next. */
  public RemoteHandlerException(String message) {
    super(message);
    this.remoteErrorClass = "";
    this.remoteMessage = "";
  }

  /** Creates the error with a message and the underlying cause. */
  public RemoteHandlerException(String message, Throwable cause) {
    super(message, cause);
    this.remoteErrorClass = "";
    this.remoteMessage = "";
  }

  /**
   * The error a responder of {@code destination} reported: {@code remoteErrorClass} (a class name)
   * with {@code remoteMessage} (empty when it had none).
   */
  public RemoteHandlerException(String destination, String remoteErrorClass, String remoteMessage) {
    super(
        "the responder of '"
            + destination
            + "' failed with "
            + remoteErrorClass
            + (remoteMessage.isEmpty() ? "" : ": " + remoteMessage)
            + "; the request was acknowledged and is not retried: fix the responder, or send the"
            + " request again");
    this.remoteErrorClass = Objects.requireNonNull(remoteErrorClass, "remoteErrorClass");
    this.remoteMessage = Objects.requireNonNull(remoteMessage, "remoteMessage");
  }

  /** The class name of the responder's error, or empty when it is not known. */
  public String remoteErrorClass() {
    return remoteErrorClass;
  }

  /** The message of the responder's error, or empty when it had none. */
  public String remoteMessage() {
    return remoteMessage;
  }
}
