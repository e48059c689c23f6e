package io.jqueue.embedded;

import io.jqueue.internal.Saturating;
import io.jqueue.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The active leases of one queue, in the order their expiry is due, watched by one timer for the
 * whole queue instead of one per delivery.
 *
 * <p>A lease is filed at its {@link Lease#timerDue}. Leases of one queue share a visibility
 * timeout, so a new lease is almost always due last and is appended in O(1); a removal unlinks in
 * O(1). A lease whose deadline moved later (its handler began, it was extended) keeps its place:
 * when its due time comes the sweep files it again at its new deadline. The timer is armed for the
 * earliest due time and left alone when that lease goes (it finds nothing due, or re-arms for the
 * next one), so a steady flow of deliveries costs about one timer per visibility timeout, not one
 * per message. Guarded by the owning queue's lock.
 */
final class LeaseTimeline {
  private final TimeSource time;
  private final IntConsumer onDue;
  private Lease first;
  private Lease last;
  private int size;
  private TimeSource.Cancellable timer;
  private Instant timerAt; // when the armed timer fires; null when none is armed
  private int generation; // bumped whenever the timer is replaced, so a replaced one is ignored
  private boolean sweeping; // takeExpired arms once, at its end

  /**
   * {@code onDue} runs on the clock's timer when the earliest due time came, with the timer's
   * generation for {@link #takeExpired}; it takes the queue's lock.
   */
  LeaseTimeline(TimeSource time, IntConsumer onDue) {
    this.time = time;
    this.onDue = onDue;
  }

  int size() {
    return size;
  }

  /** Every lease, earliest due first: a copy. */
  List<Lease> snapshot() {
    List<Lease> all = new ArrayList<>(size);
    for (Lease l = first; l != null; l = l.nextDue) {
      all.add(l);
    }
    return all;
  }

  /** Files {@code lease} to be looked at {@code due}; arms the timer if it is the earliest. */
  void add(Lease lease, Instant due) {
    lease.timerDue = due;
    Lease before = last;
    while (before != null && before.timerDue.isAfter(due)) {
      before = before.prevDue; // rare: a deadline moved earlier than newer leases' ones
    }
    lease.prevDue = before;
    lease.nextDue = before == null ? first : before.nextDue;
    if (lease.nextDue == null) {
      last = lease;
    } else {
      lease.nextDue.prevDue = lease;
    }
    if (before == null) {
      first = lease;
    } else {
      before.nextDue = lease;
    }
    size++;
    if (!sweeping && (timerAt == null || due.isBefore(timerAt))) {
      arm(due);
    }
  }

  /** Unlinks {@code lease}; the timer stays as it is. */
  void remove(Lease lease) {
    if (lease.prevDue == null ? first != lease : lease.prevDue.nextDue != lease) {
      return; // not filed
    }
    if (lease.prevDue == null) {
      first = lease.nextDue;
    } else {
      lease.prevDue.nextDue = lease.nextDue;
    }
    if (lease.nextDue == null) {
      last = lease.prevDue;
    } else {
      lease.nextDue.prevDue = lease.prevDue;
    }
    lease.prevDue = null;
    lease.nextDue = null;
    size--;
  }

  /** Moves {@code lease}'s deadline; refiles it only when the new one comes before its due time. */
  void moveDeadline(Lease lease, Instant deadline) {
    lease.deadline = deadline;
    if (deadline.isBefore(lease.timerDue)) {
      remove(lease);
      add(lease, deadline);
    }
  }

  /**
   * Called when the timer of {@code firedGeneration} fired: returns, unlinked, every lease whose
   * deadline passed by {@code now}; files again those whose deadline moved later; re-arms the timer
   * for what is due next. A timer that was replaced meanwhile returns nothing.
   */
  List<Lease> takeExpired(int firedGeneration, Instant now) {
    if (firedGeneration != generation) {
      return List.of();
    }
    timerAt = null;
    timer = null;
    List<Lease> expired = new ArrayList<>();
    sweeping = true;
    try {
      while (first != null && !first.timerDue.isAfter(now)) {
        Lease l = first;
        remove(l);
        if (l.deadline.isAfter(now)) {
          add(l, l.deadline); // its deadline moved later: look again then (after now: no loop)
        } else {
          expired.add(l);
        }
      }
    } finally {
      sweeping = false;
    }
    if (first != null) {
      arm(first.timerDue);
    }
    return expired;
  }

  /** Stops the timer (the queue closes). */
  void stop() {
    if (timer != null) {
      timer.cancel();
    }
    timer = null;
    timerAt = null;
    generation++;
  }

  private void arm(Instant due) {
    if (timer != null) {
      timer.cancel();
    }
    int armed = ++generation;
    timerAt = due;
    Duration delay = Duration.ofNanos(Math.max(0, Saturating.nanosUntil(time.now(), due)));
    timer = time.schedule(delay, () -> onDue.accept(armed));
  }
}
