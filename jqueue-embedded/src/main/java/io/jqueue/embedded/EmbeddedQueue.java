package io.jqueue.embedded;

import io.jqueue.BrokerClosedException;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.Message;
import io.jqueue.QueueStats;
import io.jqueue.SubscriberStats;
import io.jqueue.internal.Saturating;
import io.jqueue.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>This class holds the state and the dispatch; its collaborators work on it under the same lock:
 * {@link QueueIntake} (publishes), {@link PullRequests} (the pull API), {@link LeaseOutcomes} (what
 * follows a lease, as the queue's {@link io.jqueue.spi.AttemptRule} decides) and {@link
 * DeadLettering} (expiry, dead-letter moves, peek, purge, redrive).
 */
final class EmbeddedQueue {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedQueue.class);

  final QueueSettings settings;
  final EmbeddedQueue deadLetters;
  final ReentrantLock lock = new ReentrantLock();
  final TimeSource time;
  final MessageStore store;
  final ReadyQueue ready;
  final QueueCounters counters = new QueueCounters();
  final Condition notFull = lock.newCondition();
  final List<QueueConsumer> consumers = new ArrayList<>();
  final ArrayDeque<PullWaiter> waiters = new ArrayDeque<>();
  final LeaseTimeline leases;
  final Map<Envelope, TimeSource.Cancellable> delayed = new LinkedHashMap<>(); // retry timers
  int expiring;
  int nextConsumer;
  RuntimeException closedError;
  RuntimeException intakeError; // set when the broker starts closing: no more publishes

  final LeaseOutcomes outcomes = new LeaseOutcomes(this);
  final DeadLettering deadLettering = new DeadLettering(this);
  final PullRequests pulls = new PullRequests(this);
  final QueueIntake intake = new QueueIntake(this);

  EmbeddedQueue(
      QueueSettings settings, EmbeddedQueue deadLetters, TimeSource time, MessageStore store) {
    this.settings = settings;
    this.deadLetters = deadLetters;
    this.time = time;
    this.store = store;
    this.ready = ReadyQueue.forSettings(settings);
    this.leases = new LeaseTimeline(time, outcomes::onLeasesDue);
  }

  String name() {
    return settings.name();
  }

  // ---- holding messages (intake is in QueueIntake) -------------------------------------------

  boolean isFullLocked() {
    return settings.maxSize() > 0 && store.size() >= settings.maxSize();
  }

  void enqueueLocked(Envelope e, Handoffs out) {
    addLocked(e);
    counters.published++;
    dispatchLocked(out);
  }

  void addLocked(Envelope e) {
    store.add(e);
    if (e.expiresAt != null) {
      expiring++;
    }
    ready.add(e);
  }

  // ---- delivering ----------------------------------------------------------------------------

  /** Hands ready messages to waiting pullers first, then to push consumers with capacity. */
  void dispatchLocked(Handoffs out) {
    dispatchLocked(out, null);
  }

  /**
   * Dispatches, offering {@code awake} (this queue's consumer whose thread runs this operation) the
   * next message first: it needs no wake-up, and idle consumers still get work in turn.
   */
  void dispatchLocked(Handoffs out, QueueConsumer awake) {
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
      QueueConsumer consumer =
          awake != null && awake.hasCapacity() ? awake : nextConsumerWithCapacity();
      if (consumer == null) {
        return;
      }
      Envelope e = pollReadyLocked(out);
      if (e == null) {
        return;
      }
      Lease lease = leaseLocked(e, consumer, out);
      consumer.held++;
      out.add(() -> consumer.sink.accept(lease));
    }
  }

  QueueConsumer nextConsumerWithCapacity() {
    int n = consumers.size();
    for (int i = 0; i < n; i++) {
      int index = (nextConsumer + i) % n;
      QueueConsumer c = consumers.get(index);
      if (c.hasCapacity()) {
        nextConsumer = (index + 1) % n;
        return c;
      }
    }
    return null;
  }

  List<Lease> takeLocked(int max, QueueConsumer consumer, Handoffs out) {
    List<Lease> taken = new ArrayList<>();
    while (taken.size() < max) {
      Envelope e = pollReadyLocked(out);
      if (e == null) {
        break;
      }
      taken.add(leaseLocked(e, consumer, out));
    }
    return taken;
  }

  /** The next deliverable message; expired ones met on the way are expired. */
  Envelope pollReadyLocked(Handoffs out) {
    if (expiring == 0) {
      return ready.poll(); // nothing here can expire: no clock read
    }
    Instant now = out.now(time);
    while (true) {
      Envelope e = ready.poll();
      if (e == null || !e.isExpired(now)) {
        return e;
      }
      deadLettering.expireLocked(e, true, out);
    }
  }

  Lease leaseLocked(Envelope e, QueueConsumer consumer, Handoffs out) {
    e.attempts++;
    store.update(e);
    Duration visibility = settings.visibilityTimeout();
    Instant deadline = Saturating.plus(out.now(time), visibility);
    Lease lease = new Lease(e, consumer, e.attempts, deadline, name(), visibility);
    e.lease = lease;
    leases.add(lease, deadline);
    return lease;
  }

  /** Moves {@code lease}'s deadline to {@code after} from now. Under the lock. */
  void moveDeadlineLocked(Lease lease, Duration after) {
    leases.moveDeadline(lease, Saturating.plus(time.now(), after));
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
      moveDeadlineLocked(lease, settings.visibilityTimeout());
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Starts giving messages to {@code consumer}. */
  void addConsumer(QueueConsumer consumer) {
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

  /** Stops giving messages to {@code consumer}; what it holds still ends as its leases end. */
  void removeConsumer(QueueConsumer consumer) {
    lock.lock();
    try {
      consumers.remove(consumer);
      consumer.removed = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Its consumer is done with {@code lease} (handled, skipped, given back): the consumer may take
   * one more message, unless the lease's settle already said so (then no lock is taken: a handled
   * message costs one lock round trip, its settle).
   */
  void consumerDone(Lease lease) {
    if (lease.slotFreed) {
      return;
    }
    Handoffs out = new Handoffs();
    lock.lock();
    try {
      if (freeSlotLocked(lease)) {
        dispatchLocked(out, lease.consumer); // its handler thread is here: it takes the next
      }
    } finally {
      lock.unlock();
    }
    out.run();
  }

  /** Gives back the consumer slot {@code lease} took, once; under the lock. */
  boolean freeSlotLocked(Lease lease) {
    if (lease.consumer == null || lease.slotFreed) {
      return false;
    }
    lease.slotFreed = true;
    lease.consumer.held--;
    return true;
  }

  // ---- a subscription's filter (see EmbeddedTopics) ------------------------------------------

  /** A message of this subscription's topic that its filter skipped. */
  void countFiltered() {
    lock.lock();
    try {
      counters.filtered++;
    } finally {
      lock.unlock();
    }
  }

  /** A copy whose filter threw goes straight to the dead-letter queue, never lost. */
  void acceptFilteredDeadLetter(Message dead) {
    Handoffs out = new Handoffs();
    lock.lock();
    try {
      checkOpen();
      if (deadLetters.deadLettering.acceptDeadLetter(dead, out)) {
        counters.deadLettered++;
      }
    } finally {
      lock.unlock();
    }
    out.run();
  }

  // ---- outcomes (what follows a lease is in LeaseOutcomes) ----------------------------------

  /**
   * Forgets a message that leaves the queue for good; {@code polled} says whether it had been taken
   * from the ready queue (so its key, in an ordered queue, is released).
   */
  void removeLocked(Envelope e, boolean polled) {
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

  // ---- lifecycle and stats -------------------------------------------------------------------

  int size() {
    lock.lock();
    try {
      return store.size();
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot of this queue's figures, with those of its {@code subscribers}. */
  QueueStats stats(List<SubscriberStats> subscribers) {
    long dlqDepth = deadLetters != null ? deadLetters.size() : 0;
    QueueStats.Builder b = QueueStats.builder(name()).dlqDepth(dlqDepth).subscribers(subscribers);
    lock.lock();
    try {
      Envelope oldest = store.oldest();
      Duration age =
          oldest == null ? Duration.ZERO : Duration.between(oldest.enqueuedAt(), time.now());
      b.ready(ready.size())
          .inFlight(leases.size())
          .delayed(delayed.size())
          .oldestMessageAge(age.isNegative() ? Duration.ZERO : age);
      counters.addTo(b);
    } finally {
      lock.unlock();
    }
    return b.build();
  }

  /**
   * Stops the queue: pending pulls and blocked publishers fail with {@code error}, timers stop, and
   * every message still leased is released back to the ready queue (for a durable store, to be
   * delivered again after a restart). {@code clear} also forgets every message (delete).
   */
  void close(RuntimeException error, boolean clear) {
    List<Lease> released = new ArrayList<>();
    List<PullWaiter> pending;
    Handoffs none = new Handoffs(); // nothing is dispatched once closed
    lock.lock();
    try {
      if (closedError != null) {
        return;
      }
      for (Lease lease : leases.snapshot()) {
        outcomes.releaseLocked(lease, false, none);
        released.add(lease);
      }
      leases.stop();
      closedError = error;
      delayed.forEach(
          (e, timer) -> {
            timer.cancel();
            ready.addRetry(e);
          });
      delayed.clear();
      consumers.clear(); // their subscriptions are stopped by the broker
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
  }

  void checkOpen() {
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
