package io.jqueue;

import java.time.Duration;

/**
 * A publish did not complete within its timeout. The broker may or may not have the message: the
 * caller should treat it as not published and publish again (consumers must be idempotent).
 */
public class PublishTimeoutException extends JQueueException {
  private final Duration timeout;

  /** Creates the error for a publish that waited {@code timeout}. */
  public PublishTimeoutException(String message, Duration timeout) {
    super(message);
    this.timeout = timeout;
  }

  /** Creates the error for a publish that waited {@code timeout}, with the condition it met. */
  public PublishTimeoutException(String message, Duration timeout, Throwable cause) {
    super(message, cause);
    this.timeout = timeout;
  }

  /** How long the publish waited. */
  public Duration timeout() {
    return timeout;
  }
}
