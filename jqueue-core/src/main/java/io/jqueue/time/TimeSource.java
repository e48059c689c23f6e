package io.jqueue.time;

import java.time.Duration;
import java.time.Instant;

/**
 * A broker's clock and timer: every TTL, lease, backoff and periodic task goes through it, so tests
 * can replace it with a {@link ManualTimeSource} and run deterministically.
 *
 * <p>Implementations must be thread-safe and must never run a task inside {@link #schedule}.
 */
public interface TimeSource {

  /** The current time. */
  Instant now();

  /** Runs {@code task} once, {@code delay} from now (at once when the delay is not positive). */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that has not necessarily run yet. */
  @FunctionalInterface
  interface Cancellable {
    /** Stops the task if it has not started; harmless when it has. */
    void cancel();
  }
}
