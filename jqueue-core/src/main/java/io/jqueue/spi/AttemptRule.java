package io.jqueue.spi;

import io.jqueue.Backoff;
import io.jqueue.DeadLetterReason;
import io.jqueue.QueueSpec;
import io.jqueue.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule of SPEC §4 for what follows a delivery: attempts are exact (a message is handled at
 * most {@code maxRetries} times, then dead-lettered), a failure waits the queue's backoff, an
 * attempt counts only when a handler began it, and a dead letter never leaves its dead-letter
 * queue. Every broker asks this rule and carries out its {@link Decision}; none decides itself.
 * Immutable and thread-safe; {@link #backoffAfter} runs the user's backoff, so call it outside
 * locks.
 */
public final class AttemptRule {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRule.class);

  private final String queue;
  private final int maxAttempts;
  private final boolean deadLetterQueue;
  private final Backoff backoff;

  private AttemptRule(String queue, int maxAttempts, boolean deadLetterQueue, Backoff backoff) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.maxAttempts = maxAttempts;
    this.deadLetterQueue = deadLetterQueue;
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /** The rule of the queue {@code spec} declares. */
  public static AttemptRule of(QueueSpec spec) {
    return new AttemptRule(spec.name(), spec.maxRetries(), false, spec.backoff());
  }

  /**
   * The rule of {@code parent}'s dead-letter queue {@code name}: unlimited attempts, the parent's
   * backoff between them, and nowhere further to dead-letter to.
   */
  public static AttemptRule ofDeadLetterQueue(String name, QueueSpec parent) {
    return new AttemptRule(name, Integer.MAX_VALUE, true, parent.backoff());
  }

  /** The most attempts a message gets here ({@link Integer#MAX_VALUE} in a dead-letter queue). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Whether this is a dead-letter queue. */
  public boolean isDeadLetterQueue() {
    return deadLetterQueue;
  }

  /**
   * The attempt number of a delivery of a message that already failed {@code failedAttempts} times
   * (as its broker recorded, possibly from the wire): one more, but never past the last allowed nor
   * below 1, so no recorded count can skip the handler.
   */
  public int nextAttempt(int failedAttempts) {
    return Math.max(0, Math.min(failedAttempts, maxAttempts - 1)) + 1;
  }

  /** The queue's backoff after attempt {@code attempt} failed, capped to 7 days. */
  public Duration backoffAfter(int attempt) {
    return Checks.backoffDelay(backoff, attempt, queue, LOG);
  }

  /**
   * A handler's attempt failed ({@code error} may be null for {@code retry()}): retry after {@code
   * delay} (the backoff when null), or dead-letter with {@code MAX_RETRIES} after the last attempt.
   */
  public Decision afterFailure(int attempt, Throwable error, Duration delay) {
    if (isLast(attempt)) {
      return new Decision.DeadLetter(DeadLetterReason.MAX_RETRIES, error, null);
    }
    return new Decision.RetryAfter(delay != null ? delay : backoffAfter(attempt));
  }

  /**
   * The handler (or jqueue, for a poison message) asked to dead-letter: done at once, except in a
   * dead-letter queue, where the message stays and comes back after the backoff.
   */
  public Decision afterDeadLetter(
      int attempt, DeadLetterReason reason, Throwable error, String detail) {
    if (deadLetterQueue) {
      return new Decision.RetryAfter(backoffAfter(attempt));
    }
    return new Decision.DeadLetter(reason, error, detail);
  }

  /**
   * The lease ran out before an outcome: an attempt a handler began counts and the message goes
   * back at once (dead-lettered when it was the last); one that only waited in a buffer is given
   * back uncounted.
   */
  public Decision afterLeaseExpired(int attempt, boolean started, Duration visibilityTimeout) {
    if (!started) {
      return new Decision.Release(false);
    }
    if (isLast(attempt)) {
      return new Decision.DeadLetter(
          DeadLetterReason.MAX_RETRIES,
          new TimeoutException("not settled within the visibility timeout of " + visibilityTimeout),
          null);
    }
    return new Decision.Release(true);
  }

  /**
   * The delivery's consumer (or broker) closed before an outcome: an attempt whose handler never
   * began is given back; one that began counts, and after the last attempt is dead-lettered when
   * {@code mayDeadLetter} (a closing broker just returns it).
   */
  public Decision afterRelease(int attempt, boolean started, boolean mayDeadLetter) {
    if (!started) {
      return new Decision.Release(false);
    }
    if (mayDeadLetter && isLast(attempt)) {
      return new Decision.DeadLetter(
          DeadLetterReason.MAX_RETRIES,
          null,
          "its consumer closed before the handler finished the last attempt");
    }
    return new Decision.Release(true);
  }

  private boolean isLast(int attempt) {
    return !deadLetterQueue && attempt >= maxAttempts;
  }

  @Override
  public String toString() {
    return "AttemptRule{" + queue + ", maxAttempts=" + maxAttempts + '}';
  }
}
