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

  /**
   * Whether {@code error} is transient: the same operation may succeed if tried again later,
   * unchanged. The one rule of jqueue for it; the retry and circuit-breaker middlewares use it by
   * default.
   *
   * <p>Transient: {@link BrokerUnavailableException} (the connection may come back), {@link
   * PublishTimeoutException} (the broker was slow; publishing again is safe since consumers are
   * idempotent) and {@link QueueFullException} (consumers drain the queue). Everything else is not:
   * an invalid or oversized message, a missing destination, an unroutable message, a codec or
   * configuration error, a closed broker and a topology conflict fail the same way every time. A
   * {@link CircuitOpenException} is not transient either: the breaker refuses calls until its own
   * wait ends, so retrying at once only hammers it; the breaker says when to try again. Any other
   * throwable (an unknown {@code RuntimeException}, an {@code Error}, {@code null}) is not
   * transient. Only the type of {@code error} itself counts, not its causes.
   */
  public static boolean isTransient(Throwable error) {
    return error instanceof BrokerUnavailableException
        || error instanceof PublishTimeoutException
        || error instanceof QueueFullException;
  }
}
