package io.jqueue.embedded;

import io.jqueue.BrokerClosedException;
import io.jqueue.Message;
import io.jqueue.OverflowPolicy;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.QueueFullException;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;

/**
 * How messages enter an {@link EmbeddedQueue}: a publish waits for room (BLOCK) or is refused
 * (REJECT), gets its expiry from the message and queue TTLs, and is enqueued and dispatched;
 * closing refuses intake and wakes waiting publishers.
 */
final class QueueIntake {
  private final EmbeddedQueue q;

  QueueIntake(EmbeddedQueue q) {
    this.q = q;
  }

  PublishReceipt publish(Message message, Instant deadline) {
    Handoffs out = new Handoffs();
    Instant now;
    q.lock.lock();
    try {
      awaitRoom(deadline);
      now = out.now(q.time);
      q.enqueueLocked(newEnvelope(message, now), out);
    } finally {
      q.lock.unlock();
    }
    out.run();
    return new PublishReceipt(message.id(), q.name(), now);
  }

  void awaitRoom(Instant deadline) {
    checkIntake();
    while (q.isFullLocked()) {
      if (q.settings.overflow() == OverflowPolicy.REJECT) {
        q.counters.rejected++;
        throw new QueueFullException(q.name(), q.settings.maxSize());
      }
      long nanos = Saturating.nanosUntil(Instant.now(), deadline);
      if (nanos <= 0) {
        q.counters.rejected++;
        throw new PublishTimeoutException(
            "queue '" + q.name() + "' stayed full until the publish deadline; not enqueued",
            Duration.ZERO,
            new QueueFullException(q.name(), q.settings.maxSize()));
      }
      try {
        q.notFull.awaitNanos(nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishTimeoutException(
            "interrupted while waiting for room in full queue '" + q.name() + "'; not enqueued",
            Duration.ZERO,
            e);
      }
      checkIntake();
    }
  }

  /** Refuses further publishes, waking publishers blocked on a full queue (broker closing). */
  void refuseIntake(RuntimeException error) {
    q.lock.lock();
    try {
      q.intakeError = error;
      q.notFull.signalAll();
    } finally {
      q.lock.unlock();
    }
  }

  void checkIntake() {
    q.checkOpen();
    if (q.intakeError != null) {
      throw new BrokerClosedException(q.intakeError.getMessage());
    }
  }

  Envelope newEnvelope(Message message, Instant now) {
    Instant expiresAt = null;
    if (!q.settings.isDeadLetterQueue()) {
      if (q.settings.messageTtl() != null) {
        expiresAt = Saturating.plus(now, q.settings.messageTtl());
      }
      if (message.ttl().isPresent()) {
        expiresAt = earlier(expiresAt, Saturating.plus(now, message.ttl().get()));
      }
      if (message.expiresAt().isPresent()) {
        expiresAt = earlier(expiresAt, message.expiresAt().get());
      }
    }
    int priority = Math.min(message.priority(), q.settings.maxPriority());
    return new Envelope(message, now, expiresAt, priority);
  }

  private static Instant earlier(Instant a, Instant b) {
    return b == null ? a : a == null || b.isBefore(a) ? b : a;
  }
}
