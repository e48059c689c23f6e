package io.jqueue.embedded;

import io.jqueue.DeadLetterReason;
import io.jqueue.codec.Codec;
import io.jqueue.internal.Checks;
import io.jqueue.spi.AbstractDelivery;
import java.time.Duration;
import java.time.Instant;

/** A delivery from an embedded queue: every outcome goes to the queue with this lease. */
final class EmbeddedDelivery extends AbstractDelivery {
  private final EmbeddedQueue queue;
  private final Lease lease;

  EmbeddedDelivery(EmbeddedQueue queue, Lease lease, Codec codec, String consumerId) {
    super(
        lease.envelope.message,
        codec,
        queue.name(),
        lease.attempt,
        queue.settings.rule(),
        consumerId);
    this.queue = queue;
    this.lease = lease;
  }

  @Override
  public Instant deadline() {
    return lease.deadline;
  }

  @Override
  protected void settleAck() {
    queue.outcomes.ack(lease);
  }

  @Override
  protected void settleFailure(Throwable error, Duration delay) {
    queue.outcomes.fail(lease, error, delay);
  }

  @Override
  protected void settleDeadLetter(DeadLetterReason reason, Throwable error, String detail) {
    queue.outcomes.deadLetter(lease, reason, error, detail);
  }

  @Override
  public void extendLease(Duration duration) {
    queue.outcomes.extendLease(lease, Checks.leaseExtension(duration));
  }

  @Override
  public boolean isLeaseLost() {
    return lease.state.isLost();
  }

  @Override
  public boolean isSettled() {
    return !lease.state.isActive();
  }

  @Override
  public String toString() {
    return "Delivery{" + message() + ", queue=" + queue() + ", attempt=" + lease.attempt + '}';
  }
}
