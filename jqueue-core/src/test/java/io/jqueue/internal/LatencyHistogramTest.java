package io.jqueue.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jqueue.LatencySummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  @DisplayName("an empty histogram summarises as LatencySummary.EMPTY")
  void empty() {
    assertThat(new LatencyHistogram().summary()).isEqualTo(LatencySummary.EMPTY);
  }

  @Test
  @DisplayName("1..10000 us gives p50 ~5000 us and p99 ~9900 us within 4%, max exactly 10000 us")
  void percentiles() {
    LatencyHistogram h = new LatencyHistogram();
    for (long v = 1; v <= 10_000; v++) {
      h.recordMicros(v);
    }

    LatencySummary s = h.summary();

    assertThat(s.count()).isEqualTo(10_000);
    assertThat(micros(s.p50())).isCloseTo(5_000, Percentage.withPercentage(4));
    assertThat(micros(s.p95())).isCloseTo(9_500, Percentage.withPercentage(4));
    assertThat(micros(s.p99())).isCloseTo(9_900, Percentage.withPercentage(4));
    assertThat(s.max()).isEqualTo(Duration.ofNanos(10_000_000));
  }

  @Test
  @DisplayName("a single value is every percentile, not its bucket's upper bound")
  void singleValue() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(Duration.ofMillis(3));

    LatencySummary s = h.summary();

    assertThat(s.p50()).isEqualTo(Duration.ofMillis(3));
    assertThat(s.p99()).isEqualTo(Duration.ofMillis(3));
    assertThat(s.max()).isEqualTo(Duration.ofMillis(3));
  }

  @Test
  @DisplayName("negative values count as zero")
  void negative() {
    LatencyHistogram h = new LatencyHistogram();
    h.recordMicros(-5);
    h.record(Duration.ofSeconds(-1));

    LatencySummary s = h.summary();

    assertThat(s.count()).isEqualTo(2);
    assertThat(s.max()).isZero();
    assertThat(s.p99()).isZero();
  }

  @Test
  @DisplayName("every value up to 2^43 us lies within its bucket, buckets at most 1/32 wide")
  void bucketsAreConsistent() {
    SplittableRandom random = new SplittableRandom(42);
    List<Long> values = new ArrayList<>();
    for (long v = 0; v < 70_000; v++) {
      values.add(v);
    }
    for (int i = 0; i < 200_000; i++) {
      values.add(random.nextLong(1L << 43));
    }
    for (int e = 5; e < 43; e++) {
      values.add((1L << e) - 1);
      values.add(1L << e);
      values.add((1L << e) + 1);
    }

    for (long v : values) {
      int i = LatencyHistogram.indexOf(v);
      long upper = LatencyHistogram.upperBound(i);
      long lower = i == 0 ? 0 : LatencyHistogram.upperBound(i - 1) + 1;
      assertThat(v)
          .as("value %d in bucket %d [%d, %d]", v, i, lower, upper)
          .isBetween(lower, upper);
      if (v >= 32) {
        assertThat((double) (upper - lower + 1) / v)
            .as("relative width of bucket %d for %d", i, v)
            .isLessThanOrEqualTo(1.0 / 32);
      } else {
        assertThat(upper).isEqualTo(lower);
      }
    }
  }

  @Test
  @DisplayName("bucket indexes never decrease as values grow")
  void indexIsMonotonic() {
    int previous = LatencyHistogram.indexOf(0);
    for (long v = 1; v < (1L << 43); v = v < 100_000 ? v + 1 : v + v / 997) {
      int index = LatencyHistogram.indexOf(v);
      assertThat(index).as("index of %d", v).isGreaterThanOrEqualTo(previous);
      previous = index;
    }
  }

  @Test
  @DisplayName("values beyond the largest bucket are counted, not lost")
  void hugeValuesClamp() {
    LatencyHistogram h = new LatencyHistogram();
    h.recordMicros(1L << 50);
    h.recordMicros(1);

    LatencySummary s = h.summary();

    assertThat(s.count()).isEqualTo(2);
    assertThat(s.max()).isEqualTo(Duration.ofNanos((1L << 50) * 1_000));
  }

  @Test
  @DisplayName("an absurdly long duration does not break summary()")
  void overflowingDuration() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(Duration.ofSeconds(Long.MAX_VALUE));

    LatencySummary s = h.summary();

    assertThat(s.count()).isEqualTo(1);
    assertThat(s.max()).isPositive();
  }

  @Test
  @DisplayName("recording from 4 threads at once loses no counts")
  void concurrentRecording() throws Exception {
    LatencyHistogram h = new LatencyHistogram();
    int threads = 4;
    int perThread = 100_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long offset = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    h.recordMicros((i % 1_000) + offset);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    LatencySummary s = h.summary();

    assertThat(s.count()).isEqualTo((long) threads * perThread);
    assertThat(s.max()).isEqualTo(Duration.ofNanos(1_002_000));
    assertThat(micros(s.p50())).isCloseTo(500, within(20L));
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1_000;
  }
}
