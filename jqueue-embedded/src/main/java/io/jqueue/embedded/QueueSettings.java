package io.jqueue.embedded;

import io.jqueue.Backoff;
import io.jqueue.ExpiryPolicy;
import io.jqueue.OverflowPolicy;
import io.jqueue.QueueSpec;
import java.time.Duration;

/**
 * How one embedded queue behaves: a user queue's settings come from its {@link QueueSpec}; its
 * dead-letter queue's are derived from the parent's.
 *
 * @param maxAttempts attempts before dead-lettering; {@code 0} for a dead-letter queue, which never
 *     dead-letters further: failing dead letters are retried after the backoff
 * @param messageTtl queue TTL, or {@code null}
 * @param dropOldestBeyond for a bounded dead-letter queue, its bound; else 0
 */
record QueueSettings(
    String name,
    long maxSize,
    OverflowPolicy overflow,
    int maxAttempts,
    Duration visibilityTimeout,
    Duration messageTtl,
    ExpiryPolicy expiryPolicy,
    Backoff backoff,
    boolean ordered,
    int maxPriority,
    long dropOldestBeyond) {

  static QueueSettings of(QueueSpec spec) {
    return new QueueSettings(
        spec.name(),
        spec.maxSize(),
        spec.overflow(),
        spec.maxRetries(),
        spec.visibilityTimeout(),
        spec.messageTtl().orElse(null),
        spec.expiryPolicy(),
        spec.backoff(),
        spec.ordered(),
        spec.maxPriority(),
        0);
  }

  static QueueSettings deadLetterQueueOf(QueueSpec spec) {
    return new QueueSettings(
        spec.deadLetterQueue(),
        0,
        OverflowPolicy.REJECT,
        0,
        spec.visibilityTimeout(),
        null,
        ExpiryPolicy.DEAD_LETTER,
        spec.backoff(),
        false,
        0,
        spec.deadLetterMaxSize());
  }

  boolean isDeadLetterQueue() {
    return maxAttempts == 0;
  }
}
