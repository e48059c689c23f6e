package io.jqueue.internal;

import io.jqueue.LatencySummary;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free log-linear histogram of durations in microseconds: 32 linear sub-buckets per power of
 * two, so every percentile is within about 3% of the true value. Fixed memory (under 12 KiB), O(1)
 * record, O(buckets) read.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 5;
  private static final int SUB_COUNT = 1 << SUB_BITS;
  private static final int MAX_EXPONENT = 42; // 2^42 µs is about 51 days; larger values clamp
  private static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB_COUNT;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong max = new AtomicLong();

  /** Records one duration; negative durations count as zero. */
  public void record(Duration d) {
    recordMicros(d.isNegative() ? 0 : saturatedMicros(d));
  }

  /** Records one value in microseconds. */
  public void recordMicros(long micros) {
    long v = Math.max(0, micros);
    counts.incrementAndGet(indexOf(v));
    total.incrementAndGet();
    max.accumulateAndGet(v, Math::max);
  }

  /** The percentiles of everything recorded so far. */
  public LatencySummary summary() {
    long n = total.get();
    if (n == 0) {
      return LatencySummary.EMPTY;
    }
    long[] snapshot = new long[BUCKETS];
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      snapshot[i] = counts.get(i);
      seen += snapshot[i];
    }
    long maxMicros = max.get();
    return new LatencySummary(
        seen,
        micros(Math.min(maxMicros, percentile(snapshot, seen, 0.50))),
        micros(Math.min(maxMicros, percentile(snapshot, seen, 0.95))),
        micros(Math.min(maxMicros, percentile(snapshot, seen, 0.99))),
        micros(maxMicros));
  }

  static int indexOf(long v) {
    if (v < SUB_COUNT) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v);
    if (exponent > MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int sub = (int) ((v >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1));
    return (exponent - SUB_BITS + 1) * SUB_COUNT + sub;
  }

  /** The largest value that falls in bucket {@code index}. */
  static long upperBound(int index) {
    if (index < SUB_COUNT) {
      return index;
    }
    int exponent = index / SUB_COUNT + SUB_BITS - 1;
    long sub = index % SUB_COUNT;
    long lower = (SUB_COUNT + sub) << (exponent - SUB_BITS);
    return lower + (1L << (exponent - SUB_BITS)) - 1;
  }

  private static long percentile(long[] counts, long total, double q) {
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      cumulative += counts[i];
      if (cumulative >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(counts.length - 1);
  }

  private static long saturatedMicros(Duration d) {
    return Saturating.toNanos(d) / 1_000;
  }

  private static Duration micros(long micros) {
    return Duration.of(micros, ChronoUnit.MICROS); // exact for every long, unlike nanoseconds
  }
}
