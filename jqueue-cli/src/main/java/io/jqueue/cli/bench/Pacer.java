package io.jqueue.cli.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends at a fixed rate from one thread and records how long after its <em>intended</em> send time
 * each message was handled, so a stall delays every message behind it in the figures too (corrected
 * for coordinated omission). The intended time (nanoTime) travels in the payload's first 8 bytes.
 */
final class Pacer {
  /** Sends one payload; may block. */
  @FunctionalInterface
  interface Send {
    void send(byte[] payload) throws Exception;
  }

  private final Histogram latencies = new ConcurrentHistogram(3);
  private final byte[] payload;

  Pacer(byte[] payload) {
    this.payload = payload;
  }

  /** Records the latency of a handled payload; called by the handlers. */
  void handled(ByteBuffer payload) {
    latencies.recordValue(Math.max(0, System.nanoTime() - payload.getLong(0)));
  }

  /**
   * Sends {@code ratePerSec * duration} messages at that rate with {@code send}, waits until {@code
   * handled} counts them all, and returns the achieved rate and the latency percentiles.
   */
  Sample round(long ratePerSec, Duration duration, Send send, LongSupplier handled)
      throws Exception {
    latencies.reset();
    long n = Math.max(1, ratePerSec * duration.toMillis() / 1000);
    long handled0 = handled.getAsLong();
    long start = System.nanoTime() + 1_000_000;
    for (long i = 0; i < n; i++) {
      long intended = start + i * 1_000_000_000L / ratePerSec;
      waitUntil(intended);
      byte[] message = payload.clone();
      ByteBuffer.wrap(message).putLong(0, intended);
      send.send(message);
    }
    Load.awaitCount(handled, handled0 + n);
    long elapsed = System.nanoTime() - start;
    return Sample.latency(n, elapsed, null, latencies.copy());
  }

  /** Parks while far from {@code nanoTime}, then spins: parking alone overshoots by ~50 us. */
  private static void waitUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      if (left > 200_000) {
        LockSupport.parkNanos(left - 100_000);
      } else {
        Thread.onSpinWait();
      }
    }
  }
}
