package io.jqueue.embedded;

import io.jqueue.DeadLetterReason;
import io.jqueue.spi.Decision;
import io.jqueue.spi.LeaseState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a lease of an {@link EmbeddedQueue}: the outcome a handler records, expiry and
 * release, each carried out as the queue's {@link io.jqueue.spi.AttemptRule} decides, under the
 * queue's lock.
 */
final class LeaseOutcomes {
  // logs as the queue it works on, so one logger shows a queue's whole story
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedQueue.class);

  private final EmbeddedQueue q;

  LeaseOutcomes(EmbeddedQueue q) {
    this.q = q;
  }

  void ack(Lease lease) {
    Handoffs out = new Handoffs();
    q.lock.lock();
    try {
      endLeaseLocked(lease, LeaseState.Phase.SETTLED);
      Envelope e = lease.envelope;
      q.removeLocked(e, true);
      q.counters.acked++;
      q.counters.enqueueToAck.recordMicros(e.microsSinceEnqueued(out.now(q.time)));
      q.dispatchLocked(out, lease.consumer); // settled on its handler thread, awake
    } finally {
      q.lock.unlock();
    }
    out.run();
  }

  void fail(Lease lease, Throwable error, Duration delay) {
    Decision decision = q.settings.rule().afterFailure(lease.attempt, error, delay); // user backoff
    Handoffs out = new Handoffs();
    q.lock.lock();
    try {
      endLeaseLocked(lease, LeaseState.Phase.SETTLED);
      q.counters.failed++;
      carryOutLocked(decision, lease.envelope, out);
      q.dispatchLocked(out, lease.consumer); // settled on its handler thread, awake
    } finally {
      q.lock.unlock();
    }
    out.run();
  }

  void deadLetter(Lease lease, DeadLetterReason reason, Throwable error, String detail) {
    Decision decision = q.settings.rule().afterDeadLetter(lease.attempt, reason, error, detail);
    Handoffs out = new Handoffs();
    q.lock.lock();
    try {
      endLeaseLocked(lease, LeaseState.Phase.SETTLED);
      if (decision instanceof Decision.RetryAfter) {
        LOG.warn(
            "message {} is already in dead-letter queue '{}' ({}); it stays there and is"
                + " delivered again after the backoff",
            lease.envelope.message.id(),
            q.name(),
            reason);
      }
      carryOutLocked(decision, lease.envelope, out);
      q.dispatchLocked(out, lease.consumer); // settled on its handler thread, awake
    } finally {
      q.lock.unlock();
    }
    out.run();
  }

  void carryOutLocked(Decision decision, Envelope e, Handoffs out) {
    if (decision instanceof Decision.RetryAfter retry) {
      retryLocked(e, retry.delay());
    } else if (decision instanceof Decision.DeadLetter dead) {
      q.deadLettering.deadLetterLocked(e, true, dead.reason(), dead.error(), dead.detail(), out);
    } else if (((Decision.Release) decision).counted()) {
      q.counters.retried++;
      q.ready.addReleased(e);
    } else {
      e.attempts--; // no handler began: the attempt is given back
      q.store.update(e);
      q.ready.addReleased(e);
    }
  }

  void extendLease(Lease lease, Duration duration) {
    q.lock.lock();
    try {
      lease.state.requireActive();
      q.moveDeadlineLocked(lease, duration);
    } finally {
      q.lock.unlock();
    }
  }

  /**
   * Returns a message whose delivery did not end in an outcome (its consumer closed, its executor
   * refused) to the front of the queue. An attempt whose handler never began is not counted; one
   * whose handler began is, and may be the last (then the message is dead-lettered). Returns false
   * when the lease had already ended.
   */
  boolean release(Lease lease) {
    Handoffs out = new Handoffs();
    q.lock.lock();
    try {
      if (!lease.state.isActive()) {
        return false;
      }
      releaseLocked(lease, true, out);
      q.dispatchLocked(out);
    } finally {
      q.lock.unlock();
    }
    out.run();
    return true;
  }

  void releaseLocked(Lease lease, boolean mayDeadLetter, Handoffs out) {
    Decision decision =
        q.settings.rule().afterRelease(lease.attempt, lease.state.isStarted(), mayDeadLetter);
    endLeaseLocked(lease, LeaseState.Phase.RELEASED);
    if (lease.state.isStarted()) {
      q.counters.failed++;
    }
    carryOutLocked(decision, lease.envelope, out);
  }

  /** The queue's lease timer fired: expires every lease whose deadline passed. */
  void onLeasesDue(int generation) {
    Handoffs out = new Handoffs();
    List<Lease> interrupted = new ArrayList<>();
    q.lock.lock();
    try {
      if (q.closedError != null) {
        return;
      }
      for (Lease lease : q.leases.takeExpired(generation, out.now(q.time))) {
        if (expireLocked(lease, out)) {
          interrupted.add(lease);
        }
      }
      q.dispatchLocked(out);
    } finally {
      q.lock.unlock();
      out.run();
    }
    for (Lease lease : interrupted) {
      LOG.warn(
          "lease of message {} in '{}' expired after {} (attempt {} of {}); handler interrupted,"
              + " message released",
          lease.envelope.message.id(),
          q.name(),
          q.settings.visibilityTimeout(),
          lease.attempt,
          q.settings.isDeadLetterQueue() ? "unlimited" : q.settings.rule().maxAttempts());
      lease.interruptRunner();
    }
  }

  /** Ends an expired lease as the rule decides; returns whether an attempt had begun. */
  private boolean expireLocked(Lease lease, Handoffs out) {
    // a pulled delivery counts from when receive returned it; a pushed one from its handler
    boolean started = lease.state.isStarted() || lease.consumer == null;
    Decision decision =
        q.settings.rule().afterLeaseExpired(lease.attempt, started, q.settings.visibilityTimeout());
    endLeaseLocked(lease, LeaseState.Phase.EXPIRED);
    if (started) {
      q.counters.failed++;
    }
    carryOutLocked(decision, lease.envelope, out);
    return started;
  }

  /**
   * Ends {@code lease}. A settle or a release also gives its consumer slot back at once, so the
   * consumer need not take the lock again to say it is done; an expired lease keeps it until its
   * (interrupted) handler returns.
   */
  void endLeaseLocked(Lease lease, LeaseState.Phase end) {
    lease.state.end(end);
    q.leases.remove(lease);
    lease.envelope.lease = null;
    if (end != LeaseState.Phase.EXPIRED) {
      q.freeSlotLocked(lease);
    }
  }

  void retryLocked(Envelope e, Duration delay) {
    q.counters.retried++;
    if (delay.isZero() || delay.isNegative()) {
      q.ready.addRetry(e);
      return;
    }
    q.delayed.put(e, q.time.schedule(delay, () -> retryDue(e)));
  }

  void retryDue(Envelope e) {
    Handoffs out = new Handoffs();
    q.lock.lock();
    try {
      if (q.closedError != null || q.delayed.remove(e) == null) {
        return;
      }
      q.ready.addRetry(e);
      q.dispatchLocked(out);
    } finally {
      q.lock.unlock();
    }
    out.run();
  }
}
