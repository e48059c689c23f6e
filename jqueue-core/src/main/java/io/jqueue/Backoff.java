package io.jqueue;

import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed message waits before it is delivered again. Implementations must be
 * thread-safe; the built-in ones are values (equal when their parameters are equal), so a queue
 * redeclared with the same backoff is recognised as the same spec.
 */
@FunctionalInterface
public interface Backoff {

  /**
   * The delay before the next attempt, after attempt number {@code failedAttempt} (1-based) failed;
   * never negative.
   */
  Duration delay(int failedAttempt);

  /**
   * This backoff with "equal jitter": each delay is drawn uniformly from half to all of the
   * original, which spreads retries of many messages that failed together.
   */
  default Backoff withJitter() {
    return new Jittered(this);
  }

  /** Redeliver at once. */
  static Backoff none() {
    return new Fixed(Duration.ZERO);
  }

  /** The same delay after every failure. */
  static Backoff fixed(Duration delay) {
    return new Fixed(delay);
  }

  /**
   * {@code initial}, then multiplied by {@code multiplier} after each failure, capped at {@code
   * max}.
   */
  static Backoff exponential(Duration initial, double multiplier, Duration max) {
    return new Exponential(initial, multiplier, max);
  }

  /** A constant delay. */
  record Fixed(Duration delay) implements Backoff {
    /** Validates the delay is not negative. */
    public Fixed {
      requireNotNegative(delay, "delay");
    }

    @Override
    public Duration delay(int failedAttempt) {
      return delay;
    }
  }

  /** An exponentially growing, capped delay. */
  record Exponential(Duration initial, double multiplier, Duration max) implements Backoff {
    /** Validates initial ≤ max and multiplier ≥ 1. */
    public Exponential {
      requireNotNegative(initial, "initial");
      requireNotNegative(max, "max");
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new ValidationException("backoff multiplier must be >= 1, got " + multiplier);
      }
      if (initial.compareTo(max) > 0) {
        throw new ValidationException(
            "backoff initial delay " + initial + " is greater than its max " + max);
      }
    }

    @Override
    public Duration delay(int failedAttempt) {
      double nanos =
          Saturating.toNanos(initial) * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
      return nanos >= Saturating.toNanos(max) ? max : Duration.ofNanos((long) nanos);
    }
  }

  /** Another backoff with equal jitter applied. */
  record Jittered(Backoff base) implements Backoff {
    /** Validates the base is present. */
    public Jittered {
      Objects.requireNonNull(base, "base");
    }

    @Override
    public Duration delay(int failedAttempt) {
      long nanos = Saturating.toNanos(base.delay(failedAttempt));
      if (nanos <= 1) {
        return Duration.ofNanos(nanos);
      }
      long half = nanos / 2;
      return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(nanos - half + 1));
    }

    @Override
    public Backoff withJitter() {
      return this;
    }
  }

  private static void requireNotNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new ValidationException("backoff " + name + " must be zero or positive, got " + d);
    }
  }
}
