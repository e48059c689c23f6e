package io.jqueue.time;

import java.time.Duration;
import java.time.Instant;

/**
 * A broker's clock and timer: lease deadlines and their expiry, retry backoff, message TTLs and
 * dead-letter timestamps go through it, so tests can replace it with a {@link ManualTimeSource} and
 * run deterministically. Brokers take one in their configuration ({@code timeSource(...)}) and use
 * a {@link SystemTimeSource} of their own otherwise.
 *
 * <p>Implementations must be thread-safe and must never run a task inside {@link #schedule}. Tasks
 * run on the clock's thread (for a {@link ManualTimeSource}, the thread that advances it), so a
 * broker keeps them short and hands user code and blocking I/O to threads of its own.
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
