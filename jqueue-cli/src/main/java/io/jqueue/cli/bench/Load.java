package io.jqueue.cli.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A steady load for a throughput round: producers that send as fast as the receiving side lets
 * them, and handlers that count what they handled.
 */
interface Load {
  /** The longest a load may take to hand over what was sent before it stopped. */
  Duration DRAIN_LIMIT = Duration.ofSeconds(60);

  /** Starts the producers. */
  void start();

  /** Messages handled so far (a topic's copies counted each). */
  long handled();

  /** How many {@link #handled()} should reach once everything sent so far is handled. */
  long expected();

  /** Stops the producers and waits for them. */
  void stop() throws InterruptedException;

  /**
   * One round: starts the load, counts what is handled in {@code duration} and the process's CPU
   * time meanwhile, then stops it and waits until everything sent is handled (not timed), so the
   * next round starts empty.
   */
  static Sample measure(Load load, Duration duration) throws InterruptedException {
    load.start();
    long handled0 = load.handled();
    long cpu0 = Cpu.processNanos();
    long t0 = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    long handled1 = load.handled();
    long cpu1 = Cpu.processNanos();
    long t1 = System.nanoTime();
    load.stop();
    awaitCount(load::handled, load.expected());
    return Sample.throughput(Math.max(1, handled1 - handled0), t1 - t0, cpu1 - cpu0);
  }

  /** Waits until {@code handled} counts {@code expected}, at most {@link #DRAIN_LIMIT}. */
  static void awaitCount(LongSupplier handled, long expected) {
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    while (handled.getAsLong() < expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "only "
                + handled.getAsLong()
                + " of "
                + expected
                + " messages were handled within "
                + DRAIN_LIMIT.toSeconds()
                + " s");
      }
      LockSupport.parkNanos(200_000);
    }
  }
}
