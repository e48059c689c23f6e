package io.jqueue.embedded;

import io.jqueue.DeadLetterReason;
import io.jqueue.ExpiryPolicy;
import io.jqueue.Message;
import io.jqueue.internal.DeadLetterHeaders;
import io.jqueue.internal.Errors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an {@link EmbeddedQueue} hands messages to its dead-letter queue (and takes them there),
 * expires them, and the dead-letter operations called on the parent: peek, purge, redrive.
 */
final class DeadLettering {
  // logs as the queue it works on, so one logger shows a queue's whole story
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedQueue.class);

  private final EmbeddedQueue q;

  DeadLettering(EmbeddedQueue q) {
    this.q = q;
  }

  /**
   * Takes a dead letter from the parent queue, whose lock the caller holds; returns false, taking
   * nothing, when this queue is closed (the parent then keeps the message).
   */
  boolean acceptDeadLetter(Message dead, Handoffs out) {
    q.lock.lock();
    try {
      if (q.closedError != null) {
        return false;
      }
      long bound = q.settings.dropOldestBeyond();
      if (bound > 0 && q.store.size() >= bound) {
        Envelope victim = q.ready.poll();
        Message dropped = victim != null ? victim.message : dead;
        if (victim != null) {
          q.removeLocked(victim, true);
        }
        q.counters.dropped++;
        LOG.warn(
            "dead-letter queue '{}' is at its bound of {}; dropped dead letter {} (reason {})",
            q.name(),
            bound,
            dropped.id(),
            dropped.header(io.jqueue.JQueueHeaders.DLQ_REASON).orElse("?"));
        if (victim == null) {
          return true; // the bound says the newest goes: it was counted and logged
        }
      }
      q.enqueueLocked(q.intake.newEnvelope(dead, out.now(q.time)), out);
      return true;
    } finally {
      q.lock.unlock();
    }
  }

  void expireLocked(Envelope e, boolean polled, Handoffs out) {
    q.counters.expired++;
    if (q.settings.expiryPolicy() == ExpiryPolicy.DEAD_LETTER) {
      deadLetterLocked(
          e, polled, DeadLetterReason.EXPIRED, null, "its TTL ran out before delivery", out);
    } else {
      q.removeLocked(e, polled);
      q.counters.dropped++;
      LOG.debug("message {} in '{}' expired and was dropped", e.message.id(), q.name());
    }
  }

  void deadLetterLocked(
      Envelope e,
      boolean polled,
      DeadLetterReason reason,
      Throwable error,
      String detail,
      Handoffs out) {
    Message dead =
        DeadLetterHeaders.stamp(
            e.message, reason, error, detail, e.attempts, q.name(), e.enqueuedAt(), q.time.now());
    if (!q.deadLetters.deadLettering.acceptDeadLetter(dead, out)) {
      // the dead-letter queue is closing: keep the message here rather than lose it
      if (polled) {
        q.ready.addReleased(e);
      } else {
        q.ready.add(e);
      }
      return;
    }
    q.removeLocked(e, polled);
    q.counters.deadLettered++;
    if (reason != DeadLetterReason.EXPIRED) {
      LOG.warn(
          "message {} in '{}' dead-lettered ({}) after {} attempt(s): {}",
          e.message.id(),
          q.name(),
          reason,
          e.attempts,
          error != null ? Errors.describe(error) : detail);
    }
  }

  List<Message> peekReady(int max) {
    q.lock.lock();
    try {
      List<Message> out = new ArrayList<>();
      for (Envelope e : q.ready.peek(max)) {
        out.add(e.message);
      }
      return out;
    } finally {
      q.lock.unlock();
    }
  }

  long purgeReady() {
    q.lock.lock();
    try {
      q.checkOpen();
      List<Envelope> removed = q.ready.removeIf(e -> true);
      removed.forEach(e -> q.removeLocked(e, false));
      return removed.size();
    } finally {
      q.lock.unlock();
    }
  }

  long redrive(long max) {
    Handoffs out = new Handoffs();
    long moved = 0;
    q.lock.lock();
    try {
      q.checkOpen();
      q.deadLetters.lock.lock();
      try {
        // At most what is there now: a redriven message that fails again must not come round.
        long budget = Math.min(max, q.deadLetters.ready.size());
        while (moved < budget && !q.isFullLocked()) {
          Envelope dead = q.deadLetters.ready.poll();
          if (dead == null) {
            break;
          }
          Message again =
              DeadLetterHeaders.strip(dead.message).toBuilder().ttl(null).expiresAt(null).build();
          Envelope fresh =
              q.intake.newEnvelope(again, q.time.now()); // built before anything is removed
          q.deadLetters.removeLocked(dead, true);
          q.addLocked(fresh);
          moved++;
        }
        q.dispatchLocked(out);
      } finally {
        q.deadLetters.lock.unlock();
      }
    } finally {
      q.lock.unlock();
    }
    out.run();
    return moved;
  }

  void sweepExpired() {
    Handoffs out = new Handoffs();
    q.lock.lock();
    try {
      if (q.expiring == 0 || q.closedError != null) {
        return;
      }
      Instant now = q.time.now();
      for (Envelope e : q.ready.removeIf(e -> e.isExpired(now))) {
        expireLocked(e, false, out);
      }
    } finally {
      q.lock.unlock();
    }
    out.run();
  }
}
