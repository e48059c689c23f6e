package io.jqueue;

/** What happens to a message whose TTL ran out before it was delivered; counted either way. */
public enum ExpiryPolicy {
  /** Move it to the dead-letter queue with reason {@code EXPIRED} (default). */
  DEAD_LETTER,
  /** Drop it; it is counted in the queue's {@code expired} statistic and logged at debug. */
  DROP
}
