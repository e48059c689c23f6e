package io.jqueue.embedded;

import io.jqueue.spi.LeaseState;
import java.time.Duration;
import java.time.Instant;

/**
 * One delivery's hold on a message: until it is settled, expires or is released, the message is in
 * flight. State changes happen under the owning queue's lock; the runner thread is tracked so an
 * expired lease can interrupt its handler.
 */
final class Lease {
  final Envelope envelope;
  final QueueConsumer consumer; // null for the pull API
  final int attempt;
  volatile Instant deadline;
  final LeaseState state; // changed under the queue's lock

  /**
   * When the queue's {@link LeaseTimeline} looks at this lease next; at or before {@link
   * #deadline}. A deadline moved later leaves it alone (the timeline files the lease again when it
   * comes), so a handler's start costs no timer operation. Guarded by the queue's lock.
   */
  Instant timerDue;

  /** Neighbours in the queue's {@link LeaseTimeline}; guarded by the queue's lock. */
  Lease prevDue;

  Lease nextDue;

  /**
   * Whether this lease no longer takes one of its consumer's prefetch slots: set once, under the
   * queue's lock, by its settle or by the consumer being done with it, whichever comes first.
   */
  volatile boolean slotFreed;

  private Thread runner;

  Lease(
      Envelope envelope,
      QueueConsumer consumer,
      int attempt,
      Instant deadline,
      String queue,
      Duration visibilityTimeout) {
    this.state = new LeaseState(queue, envelope.message, visibilityTimeout);
    this.envelope = envelope;
    this.consumer = consumer;
    this.attempt = attempt;
    this.deadline = deadline;
  }

  synchronized void bindRunner(Thread thread) {
    runner = thread;
  }

  /** Forgets the runner; clears an interrupt this lease may have caused. */
  synchronized void unbindRunner() {
    runner = null;
    Thread.interrupted();
  }

  /** Interrupts the handler thread if it is still running this lease's delivery. */
  synchronized void interruptRunner() {
    if (runner != null) {
      runner.interrupt();
    }
  }

  @Override
  public String toString() {
    return "Lease{" + envelope.message.id() + ", attempt " + attempt + ", " + state + '}';
  }
}
