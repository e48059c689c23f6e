package io.jqueue.middleware;

import io.jqueue.DeadLetterReason;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.codec.Codec;
import io.jqueue.spi.AbstractDelivery;
import io.jqueue.spi.AttemptRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A delivery for consume-middleware tests: records its outcomes, a second one throws. */
final class DeliveryStub extends AbstractDelivery {
  final List<String> outcomes = new CopyOnWriteArrayList<>();
  volatile Throwable error;

  DeliveryStub(Message message) {
    this(message, 1, QueueSpec.builder("orders").build().maxRetries());
  }

  /** Attempt {@code attempt} of a queue allowing {@code maxRetries} attempts. */
  DeliveryStub(Message message, int attempt, int maxRetries) {
    super(
        message,
        Codec.json(),
        "orders",
        attempt,
        AttemptRule.of(QueueSpec.builder("orders").maxRetries(maxRetries).build()),
        "consumer-1");
  }

  private synchronized void settle(String outcome, Throwable cause) {
    if (!outcomes.isEmpty()) {
      throw new IllegalStateException("already settled: " + outcomes);
    }
    outcomes.add(outcome);
    error = cause;
  }

  @Override
  public Instant deadline() {
    return Instant.now().plusSeconds(30);
  }

  @Override
  protected void settleAck() {
    settle("ack", null);
  }

  @Override
  protected void settleFailure(Throwable e, Duration delay) {
    settle(e != null ? "fail" : "retry", e);
  }

  @Override
  protected void settleDeadLetter(DeadLetterReason reason, Throwable e, String detail) {
    settle("deadLetter:" + reason, e);
  }

  @Override
  public void extendLease(Duration duration) {}

  @Override
  public boolean isLeaseLost() {
    return false;
  }

  @Override
  public boolean isSettled() {
    return !outcomes.isEmpty();
  }
}
