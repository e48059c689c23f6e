package io.jqueue.internal;

import io.jqueue.Subscription;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Argument checks shared by options, configs and brokers; each throws {@link ValidationException}.
 */
public final class Checks {
  /** The longest lease a delivery may be given or extended to. */
  public static final Duration MAX_LEASE = Duration.ofHours(12);

  /** The longest delay a retry may ask for; backoffs are capped to it too. */
  public static final Duration MAX_RETRY_DELAY = Duration.ofDays(7);

  private Checks() {}

  /** Checks the delay of {@code Delivery.retry(delay)}: zero to {@link #MAX_RETRY_DELAY}. */
  public static Duration retryDelay(Duration delay) {
    if (delay == null || delay.isNegative() || delay.compareTo(MAX_RETRY_DELAY) > 0) {
      throw new ValidationException(
          "retry delay must be between zero and 7 days, got " + delay + "; nothing was recorded");
    }
    return delay;
  }

  /**
   * The delay {@code backoff} gives after {@code failedAttempt}, capped to {@link
   * #MAX_RETRY_DELAY}; user code, so a failure or a negative answer means one second (logged).
   */
  public static Duration backoffDelay(
      io.jqueue.Backoff backoff, int failedAttempt, String queue, org.slf4j.Logger log) {
    try {
      Duration d = backoff.delay(failedAttempt);
      if (d != null && !d.isNegative()) {
        return d.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : d;
      }
      log.error("backoff of '{}' returned {} for attempt {}; waiting 1s", queue, d, failedAttempt);
    } catch (RuntimeException e) {
      log.error("backoff of '{}' failed for attempt {}; waiting 1s", queue, failedAttempt, e);
    }
    return Duration.ofSeconds(1);
  }

  /** {@code d}, which must be positive. */
  public static Duration positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new ValidationException(name + " must be positive, got " + d);
    }
    return d;
  }

  /** {@code d}, which must be zero or positive. */
  public static Duration notNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new ValidationException(name + " must be zero or positive, got " + d);
    }
    return d;
  }

  /** Checks the arguments of {@code Broker.receive}. */
  public static void receiveArguments(int max, Duration wait) {
    if (max < 1 || max > 10_000) {
      throw new ValidationException("receive max must be 1-10000, got " + max);
    }
    notNegative(wait, "receive wait");
  }

  /** {@code count} of {@code what} (a peek or redrive count), which must not be negative. */
  public static long count(long count, String what) {
    if (count < 0) {
      throw new ValidationException(what + " count must not be negative, got " + count);
    }
    return count;
  }

  /** Checks a lease extension: positive and at most {@link #MAX_LEASE}. */
  public static Duration leaseExtension(Duration d) {
    if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX_LEASE) > 0) {
      throw new ValidationException("lease extension must be positive and at most 12h, got " + d);
    }
    return d;
  }

  /** Copies {@code headers} into {@code target}, checking every name and value. */
  public static void copyHeaders(Map<String, String> headers, Map<String, String> target) {
    headers.forEach(
        (k, v) -> {
          Names.requireValidHeaderName(k);
          target.put(k, Objects.requireNonNull(v, () -> "default header " + k));
        });
  }

  /** Refuses a second active consumer with the same id on one queue (stats would mix them). */
  public static void uniqueConsumerId(
      Iterable<? extends Subscription> existing, String queue, String id) {
    for (Subscription s : existing) {
      if (s.queue().equals(queue) && s.id().equals(id) && s.isActive()) {
        throw new ValidationException(
            "queue '" + queue + "' already has a consumer with id '" + id + "'");
      }
    }
  }
}
