package io.jqueue.middleware;

import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The rest of a publish chain on a clock of its own: each attempt is recorded with its time, and
 * fails with what {@code outcome} gives for its number (1-based), or succeeds when it gives null.
 */
final class FakeChain implements PublishChain {
  private final IntFunction<RuntimeException> outcome;
  private final Instant deadline;
  final List<Message> attempts = new ArrayList<>();
  final List<Instant> attemptTimes = new ArrayList<>();
  final List<RuntimeException> thrown = new ArrayList<>();
  Instant now = Instant.parse("2026-01-01T00:00:00Z");

  FakeChain(Duration timeout, IntFunction<RuntimeException> outcome) {
    this.deadline = now.plus(timeout);
    this.outcome = outcome;
  }

  /** A sleeper that lets this chain's time pass instead of real time, recording each wait. */
  Retry.Sleeper sleeper(List<Duration> waits) {
    return d -> {
      waits.add(d);
      now = now.plus(d);
    };
  }

  @Override
  public PublishReceipt proceed(Message message) {
    attempts.add(message);
    attemptTimes.add(now);
    RuntimeException e = outcome.apply(attempts.size());
    if (e != null) {
      thrown.add(e);
      throw e;
    }
    return new PublishReceipt(message.id(), message.topic(), now);
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public Duration remaining() {
    Duration left = Duration.between(now, deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  @Override
  public String publisherId() {
    return "test";
  }
}
