package io.jqueue.embedded;

import io.jqueue.ExpiryPolicy;
import io.jqueue.OverflowPolicy;
import io.jqueue.QueueSpec;
import io.jqueue.spi.AttemptRule;
import java.time.Duration;

/**
 * How one embedded queue behaves: a user queue's settings come from its {@link QueueSpec}; its
 * dead-letter queue's are derived from the parent's.
 *
 * @param rule what follows each delivery (attempts, backoff, dead-lettering)
 * @param messageTtl queue TTL, or {@code null}
 * @param dropOldestBeyond for a bounded dead-letter queue, its bound; else 0
 */
record QueueSettings(
    String name,
    long maxSize,
    OverflowPolicy overflow,
    AttemptRule rule,
    Duration visibilityTimeout,
    Duration messageTtl,
    ExpiryPolicy expiryPolicy,
    boolean ordered,
    int maxPriority,
    long dropOldestBeyond) {

  static QueueSettings of(QueueSpec spec) {
    return new QueueSettings(
        spec.name(),
        spec.maxSize(),
        spec.overflow(),
        AttemptRule.of(spec),
        spec.visibilityTimeout(),
        spec.messageTtl().orElse(null),
        spec.expiryPolicy(),
        spec.ordered(),
        spec.maxPriority(),
        0);
  }

  static QueueSettings deadLetterQueueOf(QueueSpec spec) {
    return new QueueSettings(
        spec.deadLetterQueue(),
        0,
        OverflowPolicy.REJECT,
        AttemptRule.ofDeadLetterQueue(spec.deadLetterQueue(), spec),
        spec.visibilityTimeout(),
        null,
        ExpiryPolicy.DEAD_LETTER,
        false,
        0,
        spec.deadLetterMaxSize());
  }

  boolean isDeadLetterQueue() {
    return rule.isDeadLetterQueue();
  }
}
