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
    super(
        message,
        Codec.json(),
        "orders",
        1,
        AttemptRule.of(QueueSpec.builder("orders").build()),
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
