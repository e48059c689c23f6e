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
  public void ack() {
    settle("ack", null);
  }

  @Override
  public void fail(Throwable e) {
    settle("fail", e);
  }

  @Override
  public void retry() {
    settle("retry", null);
  }

  @Override
  public void retry(Duration delay) {
    settle("retry", null);
  }

  @Override
  public void deadLetter(String reason) {
    settle("deadLetter:REJECTED", null);
  }

  @Override
  public void deadLetter(DeadLetterReason reason, Throwable e) {
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
