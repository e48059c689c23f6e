package io.jqueue;

/** What publishing to a full queue (one at its {@code maxSize}) does. Never a silent drop. */
public enum OverflowPolicy {
  /** Refuse the message with {@link QueueFullException} (default). */
  REJECT,
  /**
   * Wait for room up to the publish timeout, then fail with {@link PublishTimeoutException} (its
   * cause is a {@link QueueFullException}).
   */
  BLOCK
}
