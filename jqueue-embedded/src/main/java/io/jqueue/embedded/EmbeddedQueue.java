package io.jqueue.embedded;

import io.jqueue.BrokerClosedException;
import io.jqueue.DeadLetterReason;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.ExpiryPolicy;
import io.jqueue.Message;
import io.jqueue.OverflowPolicy;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.QueueFullException;
import io.jqueue.QueueStats;
import io.jqueue.internal.DeadLetterHeaders;
import io.jqueue.internal.Errors;
import io.jqueue.internal.Saturating;
import io.jqueue.spi.Decision;
import io.jqueue.spi.LeaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded queue: the state machine of SPEC §4. Every message it holds is in exactly one state
 * — ready (in {@link ReadyQueue}), leased (an active {@link Lease}) or delayed (waiting for its
 * retry backoff) — and the {@link MessageStore} holds them all.
 *
 * <p>One lock guards the whole queue, consumers' capacity included. Operations decide under the
 * lock and collect {@link Handoffs} (giving messages to consumers, waking pullers) to run after
 * releasing it. A parent queue's lock may be held while taking its dead-letter queue's lock, never
 * the other way round.
 */
final class EmbeddedQueue {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedQueue.class);

  final QueueSettings settings;
  final EmbeddedQueue deadLetters;
  final ReentrantLock lock = new ReentrantLock();
  private final TimeSource time;
  private final MessageStore store;
  private final ReadyQueue ready;
  private final QueueCounters counters = new QueueCounters();
  private final Condition notFull = lock.newCondition();
  private final List<EmbeddedSubscription> consumers = new ArrayList<>();
  private final ArrayDeque<PullWaiter> waiters = new ArrayDeque<>();
  private final Set<Lease> leases = new HashSet<>();
  private final Set<Envelope> delayed = new LinkedHashSet<>();
  private int expiring;
  private int nextConsumer;
  private RuntimeException closedError;
  private RuntimeException intakeError; // set when the broker starts closing: no more publishes

  EmbeddedQueue(
      QueueSettings settings, EmbeddedQueue deadLetters, TimeSource time, MessageStore store) {
    this.settings = settings;
    this.deadLetters = deadLetters;
    this.time = time;
    this.store = store;
    this.ready = ReadyQueue.forSettings(settings);
  }

  String name() {
    return settings.name();
  }

  // ---- publishing ----------------------------------------------------------------------------

  PublishReceipt publish(Message message, Instant deadline) {
    Handoffs out = new Handoffs();
    Instant now;
    lock.lock();
    try {
      awaitRoom(deadline);
      now = time.now();
      enqueueLocked(newEnvelope(message, now), out);
    } finally {
      lock.unlock();
    }
    out.run();
    return new PublishReceipt(message.id(), name(), now);
  }

  private void awaitRoom(Instant deadline) {
    checkIntake();
    while (isFullLocked()) {
      if (settings.overflow() == OverflowPolicy.REJECT) {
        counters.rejected++;
        throw new QueueFullException(name(), settings.maxSize());
      }
      long nanos = Saturating.nanosUntil(Instant.now(), deadline);
      if (nanos <= 0) {
        counters.rejected++;
        throw new PublishTimeoutException(
            "queue '" + name() + "' stayed full until the publish deadline; not enqueued",
            Duration.ZERO,
            new QueueFullException(name(), settings.maxSize()));
      }
      try {
        notFull.awaitNanos(nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishTimeoutException(
            "interrupted while waiting for room in full queue '" + name() + "'; not enqueued",
            Duration.ZERO,
            e);
      }
      checkIntake();
    }
  }

  /** Refuses further publishes, waking publishers blocked on a full queue (broker closing). */
  void refuseIntake(RuntimeException error) {
    lock.lock();
    try {
      intakeError = error;
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void checkIntake() {
    checkOpen();
    if (intakeError != null) {
      throw new BrokerClosedException(intakeError.getMessage());
    }
  }

  private boolean isFullLocked() {
    return settings.maxSize() > 0 && store.size() >= settings.maxSize();
  }

  private Envelope newEnvelope(Message message, Instant now) {
    Instant expiresAt = null;
    if (!settings.isDeadLetterQueue()) {
      if (settings.messageTtl() != null) {
        expiresAt = Saturating.plus(now, settings.messageTtl());
      }
      if (message.ttl().isPresent()) {
        expiresAt = earlier(expiresAt, Saturating.plus(now, message.ttl().get()));
      }
      if (message.expiresAt().isPresent()) {
        expiresAt = earlier(expiresAt, message.expiresAt().get());
      }
    }
    int priority = Math.min(message.priority(), settings.maxPriority());
    return new Envelope(message, now, expiresAt, priority);
  }

  private static Instant earlier(Instant a, Instant b) {
    return b == null ? a : a == null || b.isBefore(a) ? b : a;
  }

  private void enqueueLocked(Envelope e, Handoffs out) {
    addLocked(e);
    counters.published++;
    dispatchLocked(out);
  }

  private void addLocked(Envelope e) {
    store.add(e);
    if (e.expiresAt != null) {
      expiring++;
    }
    ready.add(e);
  }

  /**
   * Takes a dead letter from the parent queue, whose lock the caller holds; returns false, taking
   * nothing, when this queue is closed (the parent then keeps the message).
   */
  boolean acceptDeadLetter(Message dead, Handoffs out) {
    lock.lock();
    try {
      if (closedError != null) {
        return false;
      }
      long bound = settings.dropOldestBeyond();
      if (bound > 0 && store.size() >= bound) {
        Envelope victim = ready.poll();
        Message dropped = victim != null ? victim.message : dead;
        if (victim != null) {
          removeLocked(victim, true);
        }
        counters.dropped++;
        LOG.warn(
            "dead-letter queue '{}' is at its bound of {}; dropped dead letter {} (reason {})",
            name(),
            bound,
            dropped.id(),
            dropped.header(io.jqueue.JQueueHeaders.DLQ_REASON).orElse("?"));
        if (victim == null) {
          return true; // the bound says the newest goes: it was counted and logged
        }
      }
      enqueueLocked(newEnvelope(dead, time.now()), out);
      return true;
    } finally {
      lock.unlock();
    }
  }

  // ---- delivering ----------------------------------------------------------------------------

  /** Hands ready messages to waiting pullers first, then to push consumers with capacity. */
  private void dispatchLocked(Handoffs out) {
    if (closedError != null) {
      return;
    }
    while (ready.size() > 0) {
      PullWaiter waiter = waiters.peekFirst();
      if (waiter != null) {
        List<Lease> taken = takeLocked(waiter.max, null, out);
        if (taken.isEmpty()) {
          return;
        }
        waiters.pollFirst();
        out.add(() -> waiter.result.complete(taken));
        continue;
      }
      EmbeddedSubscription consumer = nextConsumerWithCapacity();
      if (consumer == null) {
        return;
      }
      Envelope e = pollReadyLocked(out);
      if (e == null) {
        return;
      }
      Lease lease = leaseLocked(e, consumer);
      consumer.held++;
      out.add(() -> consumer.accept(lease));
    }
  }

  private EmbeddedSubscription nextConsumerWithCapacity() {
    int n = consumers.size();
    for (int i = 0; i < n; i++) {
      int index = (nextConsumer + i) % n;
      EmbeddedSubscription c = consumers.get(index);
      if (c.held < c.prefetch && c.isActive()) {
        nextConsumer = (index + 1) % n;
        return c;
      }
    }
    return null;
  }

  private List<Lease> takeLocked(int max, EmbeddedSubscription consumer, Handoffs out) {
    List<Lease> taken = new ArrayList<>();
    while (taken.size() < max) {
      Envelope e = pollReadyLocked(out);
      if (e == null) {
        break;
      }
      taken.add(leaseLocked(e, consumer));
    }
    return taken;
  }

  /** The next deliverable message; expired ones met on the way are expired. */
  private Envelope pollReadyLocked(Handoffs out) {
    Instant now = time.now();
    while (true) {
      Envelope e = ready.poll();
      if (e == null || !e.isExpired(now)) {
        return e;
      }
      expireLocked(e, true, out);
    }
  }

  private Lease leaseLocked(Envelope e, EmbeddedSubscription consumer) {
    e.attempts++;
    store.update(e);
    Duration visibility = settings.visibilityTimeout();
    Lease lease =
        new Lease(
            e, consumer, e.attempts, Saturating.plus(time.now(), visibility), name(), visibility);
    e.lease = lease;
    leases.add(lease);
    armExpiry(lease, visibility);
    return lease;
  }

  private void armExpiry(Lease lease, Duration after) {
    int generation = ++lease.timerGeneration;
    lease.expiryTimer = time.schedule(after, () -> onLeaseExpired(lease, generation));
  }

  /**
   * A handler is about to run on {@code lease}: from now on its attempt counts whatever happens,
   * and its lease runs a full visibility timeout from now (the time it waited in the consumer's
   * buffer is no part of it). Returns false when the lease already ended, in which case the handler
   * must not run.
   */
  boolean begin(Lease lease, Thread runner) {
    lock.lock();
    try {
      if (!lease.state.begin()) {
        return false;
      }
      lease.bindRunner(runner);
      Duration visibility = settings.visibilityTimeout();
      lease.expiryTimer.cancel();
      lease.deadline = Saturating.plus(time.now(), visibility);
      armExpiry(lease, visibility);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Pulls up to {@code max} messages, waiting up to {@code wait} for the first. */
  List<Lease> receive(int max, Duration wait) {
    Handoffs out = new Handoffs();
    PullWaiter waiter = null;
    List<Lease> taken;
    lock.lock();
    try {
      checkOpen();
      taken = takeLocked(max, null, out);
      if (taken.isEmpty() && !wait.isZero() && !wait.isNegative()) {
        waiter = new PullWaiter(max);
        waiters.addLast(waiter);
      }
    } finally {
      lock.unlock();
    }
    out.run();
    return waiter == null ? taken : awaitPull(waiter, wait);
  }

  private List<Lease> awaitPull(PullWaiter waiter, Duration wait) {
    try {
      return waiter.result.get(Saturating.toNanos(wait), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return abandon(waiter);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return abandon(waiter);
    } catch (java.util.concurrent.ExecutionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  private List<Lease> abandon(PullWaiter waiter) {
    lock.lock();
    try {
      if (waiters.remove(waiter)) {
        return List.of();
      }
    } finally {
      lock.unlock();
    }
    try {
      return waiter.result.get(); // completed right after the lock was released: keep it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return waiter.result.getNow(List.of());
    } catch (java.util.concurrent.ExecutionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  void addConsumer(EmbeddedSubscription consumer) {
    Handoffs out = new Handoffs();
    lock.lock();
    try {
      checkOpen();
      consumers.add(consumer);
      dispatchLocked(out);
    } finally {
      lock.unlock();
    }
    out.run();
  }

  void removeConsumer(EmbeddedSubscription consumer) {
    lock.lock();
    try {
      consumers.remove(consumer);
    } finally {
      lock.unlock();
    }
  }

  /** A consumer finished with one message it held (handled, or skipped); it may take more. */
  void consumerDone(EmbeddedSubscription consumer) {
    Handoffs out = new Handoffs();
    lock.lock();
    try {
      consumer.held--;
      dispatchLocked(out);
    } finally {
      lock.unlock();
    }
    out.run();
  }

  // ---- outcomes ------------------------------------------------------------------------------

  void ack(Lease lease) {
    Handoffs out = new Handoffs();
    lock.lock();
    try {
      endLeaseLocked(lease, LeaseState.Phase.SETTLED);
      Envelope e = lease.envelope;
      removeLocked(e, true);
      counters.acked++;
      counters.enqueueToAck.record(Duration.between(e.enqueuedAt, time.now()));
      dispatchLocked(out);
    } finally {
      lock.unlock();
    }
    out.run();
  }

  /** A failed attempt: retry after {@code delay} (backoff when null), or dead-letter. */
  void fail(Lease lease, Throwable error, Duration delay) {
    Decision decision = settings.rule().afterFailure(lease.attempt, error, delay); // user backoff
    Handoffs out = new Handoffs();
    lock.lock();
    try {
      endLeaseLocked(lease, LeaseState.Phase.SETTLED);
      counters.failed++;
      carryOutLocked(decision, lease.envelope, out);
      dispatchLocked(out);
    } finally {
      lock.unlock();
    }
    out.run();
  }

  void deadLetter(Lease lease, DeadLetterReason reason, Throwable error, String detail) {
    Decision decision = settings.rule().afterDeadLetter(lease.attempt, reason, error, detail);
    Handoffs out = new Handoffs();
    lock.lock();
    try {
      endLeaseLocked(lease, LeaseState.Phase.SETTLED);
      if (decision instanceof Decision.RetryAfter) {
        LOG.warn(
            "message {} is already in dead-letter queue '{}' ({}); it stays there and is"
                + " delivered again after the backoff",
            lease.envelope.message.id(),
            name(),
            reason);
      }
      carryOutLocked(decision, lease.envelope, out);
      dispatchLocked(out);
    } finally {
      lock.unlock();
    }
    out.run();
  }

  /** Does what the queue's rule decided for {@code e}, whose lease just ended. */
  private void carryOutLocked(Decision decision, Envelope e, Handoffs out) {
    if (decision instanceof Decision.RetryAfter retry) {
      retryLocked(e, retry.delay());
    } else if (decision instanceof Decision.DeadLetter dead) {
      deadLetterLocked(e, true, dead.reason(), dead.error(), dead.detail(), out);
    } else if (((Decision.Release) decision).counted()) {
      counters.retried++;
      ready.addReleased(e);
    } else {
      e.attempts--; // no handler began: the attempt is given back
      store.update(e);
      ready.addReleased(e);
    }
  }

  void extendLease(Lease lease, Duration duration) {
    lock.lock();
    try {
      lease.state.requireActive();
      Instant deadline = Saturating.plus(time.now(), duration);
      lease.expiryTimer.cancel();
      lease.deadline = deadline;
      armExpiry(lease, duration);
    } finally {
      lock.unlock();
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
    lock.lock();
    try {
      if (!lease.state.isActive()) {
        return false;
      }
      releaseLocked(lease, true, out);
      dispatchLocked(out);
    } finally {
      lock.unlock();
    }
    out.run();
    return true;
  }

  private void releaseLocked(Lease lease, boolean mayDeadLetter, Handoffs out) {
    Decision decision =
        settings.rule().afterRelease(lease.attempt, lease.state.isStarted(), mayDeadLetter);
    endLeaseLocked(lease, LeaseState.Phase.RELEASED);
    if (lease.state.isStarted()) {
      counters.failed++;
    }
    carryOutLocked(decision, lease.envelope, out);
  }

  private void onLeaseExpired(Lease lease, int generation) {
    Handoffs out = new Handoffs();
    Envelope e = lease.envelope;
    boolean started;
    lock.lock();
    try {
      if (!lease.state.isActive() || lease.timerGeneration != generation) {
        return; // settled meanwhile, or extended after this timer fired
      }
      // a pulled delivery counts from when receive returned it; a pushed one from its handler
      started = lease.state.isStarted() || lease.consumer == null;
      Decision decision =
          settings.rule().afterLeaseExpired(lease.attempt, started, settings.visibilityTimeout());
      endLeaseLocked(lease, LeaseState.Phase.EXPIRED);
      if (started) {
        counters.failed++;
      }
      carryOutLocked(decision, e, out);
      dispatchLocked(out);
    } finally {
      lock.unlock();
      out.run();
    }
    if (!started) {
      return; // it waited in a consumer's buffer the whole time: no handler ran
    }
    LOG.warn(
        "lease of message {} in '{}' expired after {} (attempt {} of {}); handler interrupted,"
            + " message released",
        e.message.id(),
        name(),
        settings.visibilityTimeout(),
        lease.attempt,
        settings.isDeadLetterQueue() ? "unlimited" : settings.rule().maxAttempts());
    lease.interruptRunner();
  }

  boolean isActive(Lease lease) {
    return lease.state.isActive();
  }

  private void endLeaseLocked(Lease lease, LeaseState.Phase end) {
    lease.state.end(end);
    lease.expiryTimer.cancel();
    leases.remove(lease);
    lease.envelope.lease = null;
  }

  private void retryLocked(Envelope e, Duration delay) {
    counters.retried++;
    if (delay.isZero() || delay.isNegative()) {
      ready.addRetry(e);
      return;
    }
    delayed.add(e);
    e.retryTimer = time.schedule(delay, () -> retryDue(e));
  }

  private void retryDue(Envelope e) {
    Handoffs out = new Handoffs();
    lock.lock();
    try {
      if (closedError != null || !delayed.remove(e)) {
        return;
      }
      e.retryTimer = null;
      ready.addRetry(e);
      dispatchLocked(out);
    } finally {
      lock.unlock();
    }
    out.run();
  }

  private void expireLocked(Envelope e, boolean polled, Handoffs out) {
    counters.expired++;
    if (settings.expiryPolicy() == ExpiryPolicy.DEAD_LETTER) {
      deadLetterLocked(
          e, polled, DeadLetterReason.EXPIRED, null, "its TTL ran out before delivery", out);
    } else {
      removeLocked(e, polled);
      counters.dropped++;
      LOG.debug("message {} in '{}' expired and was dropped", e.message.id(), name());
    }
  }

  private void deadLetterLocked(
      Envelope e,
      boolean polled,
      DeadLetterReason reason,
      Throwable error,
      String detail,
      Handoffs out) {
    Message dead =
        DeadLetterHeaders.stamp(
            e.message, reason, error, detail, e.attempts, name(), e.enqueuedAt, time.now());
    if (!deadLetters.acceptDeadLetter(dead, out)) {
      // the dead-letter queue is closing: keep the message here rather than lose it
      if (polled) {
        ready.addReleased(e);
      } else {
        ready.add(e);
      }
      return;
    }
    removeLocked(e, polled);
    counters.deadLettered++;
    if (reason != DeadLetterReason.EXPIRED) {
      LOG.warn(
          "message {} in '{}' dead-lettered ({}) after {} attempt(s): {}",
          e.message.id(),
          name(),
          reason,
          e.attempts,
          error != null ? Errors.describe(error) : detail);
    }
  }

  /**
   * Forgets a message that leaves the queue for good; {@code polled} says whether it had been taken
   * from the ready queue (so its key, in an ordered queue, is released).
   */
  private void removeLocked(Envelope e, boolean polled) {
    store.remove(e);
    if (e.expiresAt != null) {
      expiring--;
    }
    if (polled) {
      ready.settled(e);
    }
    if (settings.maxSize() > 0) {
      notFull.signalAll();
    }
  }

  /** Expires every ready message whose TTL ran out. */
  void sweepExpired() {
    Handoffs out = new Handoffs();
    lock.lock();
    try {
      if (expiring == 0 || closedError != null) {
        return;
      }
      Instant now = time.now();
      for (Envelope e : ready.removeIf(e -> e.isExpired(now))) {
        expireLocked(e, false, out);
      }
    } finally {
      lock.unlock();
    }
    out.run();
  }

  // ---- dead-letter queue operations (called on the parent) -----------------------------------

  List<Message> peekReady(int max) {
    lock.lock();
    try {
      List<Message> out = new ArrayList<>();
      for (Envelope e : ready.peek(max)) {
        out.add(e.message);
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  long purgeReady() {
    lock.lock();
    try {
      checkOpen();
      List<Envelope> removed = ready.removeIf(e -> true);
      removed.forEach(e -> removeLocked(e, false));
      return removed.size();
    } finally {
      lock.unlock();
    }
  }

  /** Moves up to {@code max} dead letters back to this queue, while it has room. */
  long redrive(long max) {
    Handoffs out = new Handoffs();
    long moved = 0;
    lock.lock();
    try {
      checkOpen();
      deadLetters.lock.lock();
      try {
        // At most what is there now: a redriven message that fails again must not come round.
        long budget = Math.min(max, deadLetters.ready.size());
        while (moved < budget && !isFullLocked()) {
          Envelope dead = deadLetters.ready.poll();
          if (dead == null) {
            break;
          }
          Message again =
              DeadLetterHeaders.strip(dead.message).toBuilder().ttl(null).expiresAt(null).build();
          Envelope fresh = newEnvelope(again, time.now()); // built before anything is removed
          deadLetters.removeLocked(dead, true);
          addLocked(fresh);
          moved++;
        }
        dispatchLocked(out);
      } finally {
        deadLetters.lock.unlock();
      }
    } finally {
      lock.unlock();
    }
    out.run();
    return moved;
  }

  // ---- lifecycle and stats -------------------------------------------------------------------

  int size() {
    lock.lock();
    try {
      return store.size();
    } finally {
      lock.unlock();
    }
  }

  QueueStats stats() {
    long dlqDepth = deadLetters != null ? deadLetters.size() : 0;
    List<EmbeddedSubscription> subscribers;
    QueueStats.Builder b = QueueStats.builder(name()).dlqDepth(dlqDepth);
    lock.lock();
    try {
      subscribers = new ArrayList<>(consumers);
      Envelope oldest = store.oldest();
      Duration age =
          oldest == null ? Duration.ZERO : Duration.between(oldest.enqueuedAt, time.now());
      b.ready(ready.size())
          .inFlight(leases.size())
          .delayed(delayed.size())
          .oldestMessageAge(age.isNegative() ? Duration.ZERO : age);
      counters.addTo(b);
    } finally {
      lock.unlock();
    }
    // consumer figures are read without the queue lock: never hold it while taking another
    return b.subscribers(subscribers.stream().map(EmbeddedSubscription::stats).toList()).build();
  }

  /**
   * Stops the queue: pending pulls and blocked publishers fail with {@code error}, timers stop, and
   * every message still leased is released back to the ready queue (for a durable store, to be
   * delivered again after a restart). {@code clear} also forgets every message (delete).
   */
  List<EmbeddedSubscription> close(RuntimeException error, boolean clear) {
    List<Lease> released = new ArrayList<>();
    List<PullWaiter> pending;
    List<EmbeddedSubscription> dropped;
    Handoffs none = new Handoffs(); // nothing is dispatched once closed
    lock.lock();
    try {
      if (closedError != null) {
        return List.of();
      }
      for (Lease lease : new ArrayList<>(leases)) {
        releaseLocked(lease, false, none);
        released.add(lease);
      }
      closedError = error;
      for (Envelope e : delayed) {
        e.retryTimer.cancel();
        ready.addRetry(e);
      }
      delayed.clear();
      dropped = new ArrayList<>(consumers);
      consumers.clear();
      pending = new ArrayList<>(waiters);
      waiters.clear();
      notFull.signalAll();
      if (clear) {
        store.clear();
      }
      store.close();
    } finally {
      lock.unlock();
    }
    pending.forEach(w -> w.result.completeExceptionally(error));
    released.forEach(Lease::interruptRunner);
    return dropped;
  }

  private void checkOpen() {
    if (closedError != null) {
      throw closedError instanceof DestinationNotFoundException
          ? new DestinationNotFoundException(name())
          : new BrokerClosedException(closedError.getMessage());
    }
  }

  @Override
  public String toString() {
    return "EmbeddedQueue{" + name() + '}';
  }
}
