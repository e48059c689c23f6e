package io.jqueue;

import java.time.Duration;

/**
 * Percentiles of a latency distribution, accurate to about 3% of each value.
 *
 * @param count how many values were recorded
 * @param p50 median
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param max largest value
 */
public record LatencySummary(long count, Duration p50, Duration p95, Duration p99, Duration max) {
  /** The summary of no values. */
  public static final LatencySummary EMPTY =
      new LatencySummary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
