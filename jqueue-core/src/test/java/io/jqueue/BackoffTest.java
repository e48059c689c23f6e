package io.jqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  @DisplayName("a fixed backoff gives the same delay after every failure")
  void fixed() {
    Backoff backoff = Backoff.fixed(Duration.ofSeconds(2));

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(50)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  @DisplayName("none() redelivers at once")
  void none() {
    assertThat(Backoff.none().delay(3)).isZero();
  }

  @Test
  @DisplayName("an exponential backoff multiplies the delay after each failure")
  void exponentialGrowth() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMinutes(1));

    assertThat(IntStream.rangeClosed(1, 5).mapToObj(backoff::delay))
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1600));
  }

  @Test
  @DisplayName("an exponential backoff never exceeds its cap, even for huge attempt numbers")
  void exponentialCap() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 3.0, Duration.ofSeconds(1));

    assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(900));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  @DisplayName("a multiplier of 1 keeps the initial delay")
  void multiplierOne() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(250), 1.0, Duration.ofSeconds(5));

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(backoff.delay(20)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  @DisplayName("equal jitter draws every delay from half to all of the base delay")
  void jitterBounds() {
    Backoff jittered = Backoff.fixed(Duration.ofSeconds(1)).withJitter();

    LongSummaryStatistics stats =
        IntStream.range(0, 10_000).mapToLong(i -> jittered.delay(1).toNanos()).summaryStatistics();

    assertThat(stats.getMin()).isGreaterThanOrEqualTo(Duration.ofMillis(500).toNanos());
    assertThat(stats.getMax()).isLessThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    // 10,000 uniform draws: the chance of none landing in the outer 10% at either end is nil.
    assertThat(stats.getMin()).isLessThan(Duration.ofMillis(550).toNanos());
    assertThat(stats.getMax()).isGreaterThan(Duration.ofMillis(950).toNanos());
  }

  @Test
  @DisplayName("jitter applies to each attempt's own base delay")
  void jitterFollowsBase() {
    Backoff jittered =
        Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10)).withJitter();

    for (int i = 0; i < 1_000; i++) {
      assertThat(jittered.delay(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }
  }

  @Test
  @DisplayName("jitter on a zero delay stays zero, and jittering twice is the same backoff")
  void jitterEdgeCases() {
    Backoff jittered = Backoff.none().withJitter();

    assertThat(jittered.delay(1)).isZero();
    assertThat(jittered.withJitter()).isSameAs(jittered);
  }

  @Test
  @DisplayName("backoffs with equal parameters are equal values")
  void valueEquality() {
    assertThat(Backoff.fixed(Duration.ofSeconds(1)))
        .isEqualTo(Backoff.fixed(Duration.ofSeconds(1)))
        .hasSameHashCodeAs(Backoff.fixed(Duration.ofSeconds(1)))
        .isNotEqualTo(Backoff.fixed(Duration.ofSeconds(2)));
    assertThat(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMinutes(5)))
        .isEqualTo(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMinutes(5)))
        .isNotEqualTo(Backoff.exponential(Duration.ofMillis(100), 3.0, Duration.ofMinutes(5)));
    assertThat(Backoff.fixed(Duration.ofSeconds(1)).withJitter())
        .isEqualTo(Backoff.fixed(Duration.ofSeconds(1)).withJitter())
        .isNotEqualTo(Backoff.fixed(Duration.ofSeconds(1)));
    assertThat(Backoff.none()).isEqualTo(Backoff.fixed(Duration.ZERO));
  }

  @Test
  @DisplayName("a negative or missing fixed delay is refused")
  void invalidFixed() {
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("delay");
    assertThatThrownBy(() -> Backoff.fixed(null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("delay");
  }

  @Test
  @DisplayName("an exponential multiplier below 1, NaN or infinite is refused")
  void invalidMultiplier() {
    for (double multiplier : new double[] {0.5, 0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(
              () -> Backoff.exponential(Duration.ofMillis(1), multiplier, Duration.ofSeconds(1)))
          .as("multiplier %s", multiplier)
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("multiplier");
    }
  }

  @Test
  @DisplayName(
      "an exponential backoff whose initial delay exceeds its cap, or is negative, is refused")
  void invalidBounds() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("initial");
    assertThatThrownBy(
            () -> Backoff.exponential(Duration.ofSeconds(-1), 2.0, Duration.ofSeconds(1)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("initial");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, 2.0, null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("max");
  }
}
