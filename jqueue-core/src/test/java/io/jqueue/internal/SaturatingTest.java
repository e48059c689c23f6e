package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SaturatingTest {
  private static final Instant NOW = Instant.parse("2026-12-02T08:00:00.123456789Z");
  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  @Test
  @DisplayName("plus adds exactly in range and saturates at either end, never throwing")
  void plus() {
    assertThat(Saturating.plus(NOW, Duration.ofMillis(1500))).isEqualTo(NOW.plusMillis(1500));
    assertThat(Saturating.plus(NOW, Duration.ofMillis(-1500))).isEqualTo(NOW.minusMillis(1500));
    assertThat(Saturating.plus(NOW, HUGE)).isEqualTo(Saturating.FAR_FUTURE);
    assertThat(Saturating.plus(NOW, Duration.ofSeconds(Long.MIN_VALUE)))
        .isEqualTo(Saturating.FAR_PAST);
    assertThat(Saturating.plus(Instant.MAX, Duration.ZERO)).isEqualTo(Saturating.FAR_FUTURE);
    assertThat(Saturating.plus(Instant.MIN, Duration.ofDays(1)))
        .isEqualTo(Saturating.FAR_PAST.plus(Duration.ofDays(1)));
    assertThat(Saturating.plus(Saturating.FAR_FUTURE, Duration.ofNanos(1)))
        .isEqualTo(Saturating.FAR_FUTURE);
    assertThat(Saturating.plus(Saturating.FAR_FUTURE.minusSeconds(1), Duration.ofMillis(999)))
        .isEqualTo(Saturating.FAR_FUTURE.minusMillis(1));
    // every result can be written to the wire as epoch milliseconds
    assertThat(Saturating.plus(NOW, HUGE).toEpochMilli()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  @DisplayName("nanos and millis until a deadline: exact, zero once passed, saturated when far")
  void until() {
    assertThat(Saturating.nanosUntil(NOW, NOW.plusNanos(1_500_000_001L))).isEqualTo(1_500_000_001L);
    assertThat(Saturating.millisUntil(NOW, NOW.plusMillis(2_001))).isEqualTo(2_001);
    assertThat(Saturating.nanosUntil(NOW, NOW.minusNanos(1))).isZero();
    assertThat(Saturating.nanosUntil(NOW, NOW)).isZero();
    assertThat(Saturating.millisUntil(NOW, Instant.MIN)).isZero();
    assertThat(Saturating.nanosUntil(NOW, Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    assertThat(Saturating.millisUntil(Instant.MIN, Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    assertThat(Saturating.nanosUntil(NOW, NOW.plusSeconds(9_223_372_036L)))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  @DisplayName("durations convert to nanos and millis, saturating instead of overflowing")
  void conversions() {
    assertThat(Saturating.toNanos(Duration.ofMillis(3))).isEqualTo(3_000_000);
    assertThat(Saturating.toNanos(HUGE)).isEqualTo(Long.MAX_VALUE);
    assertThat(Saturating.toNanos(Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    assertThat(Saturating.toMillis(HUGE)).isEqualTo(Long.MAX_VALUE);
    assertThat(Saturating.toMillis(Duration.ofSeconds(-5))).isEqualTo(-5_000);
    assertThat(Saturating.add(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
    assertThat(Saturating.add(Long.MIN_VALUE, -1)).isEqualTo(Long.MIN_VALUE);
  }
}
