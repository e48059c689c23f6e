package io.jqueue.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.DeadLetterReason;
import io.jqueue.QueueSpec;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AttemptRuleTest {
  private static final Duration BACKOFF = Duration.ofMillis(250);
  private static final QueueSpec SPEC =
      QueueSpec.builder("orders").maxRetries(3).backoff(Backoff.fixed(BACKOFF)).build();
  private final AttemptRule rule = AttemptRule.of(SPEC);
  private final AttemptRule dlq = AttemptRule.ofDeadLetterQueue("orders.dlq", SPEC);
  private final IllegalStateException boom = new IllegalStateException("boom");

  @Nested
  @DisplayName("after a failed attempt")
  class AfterFailure {
    @Test
    @DisplayName("before the last attempt: retry after the backoff, or the delay asked for")
    void retries() {
      assertThat(rule.afterFailure(1, boom, null)).isEqualTo(new Decision.RetryAfter(BACKOFF));
      assertThat(rule.afterFailure(2, null, Duration.ofSeconds(9)))
          .isEqualTo(new Decision.RetryAfter(Duration.ofSeconds(9)));
    }

    @Test
    @DisplayName("the last attempt (and any beyond) dead-letters with MAX_RETRIES and the error")
    void deadLettersAfterTheLast() {
      assertThat(rule.afterFailure(3, boom, null))
          .isEqualTo(new Decision.DeadLetter(DeadLetterReason.MAX_RETRIES, boom, null));
      assertThat(rule.afterFailure(3, boom, Duration.ZERO)).isInstanceOf(Decision.DeadLetter.class);
      assertThat(rule.afterFailure(50, null, null)).isInstanceOf(Decision.DeadLetter.class);
    }

    @Test
    @DisplayName("a dead-letter queue retries forever: nothing is ever dropped from it")
    void deadLetterQueueNeverGivesUp() {
      assertThat(dlq.afterFailure(10_000, boom, null)).isEqualTo(new Decision.RetryAfter(BACKOFF));
    }

    @Test
    @DisplayName("a backoff that throws or answers nonsense waits one second; huge ones cap at 7d")
    void brokenBackoff() {
      QueueSpec throwing =
          QueueSpec.builder("x")
              .backoff(
                  attempt -> {
                    throw new IllegalStateException("bad backoff");
                  })
              .build();
      QueueSpec huge =
          QueueSpec.builder("y").backoff(attempt -> Duration.ofSeconds(Long.MAX_VALUE)).build();
      QueueSpec negative =
          QueueSpec.builder("z").backoff(attempt -> Duration.ofSeconds(-1)).build();

      assertThat(AttemptRule.of(throwing).backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
      assertThat(AttemptRule.of(negative).backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
      assertThat(AttemptRule.of(huge).backoffAfter(1)).isEqualTo(Duration.ofDays(7));
    }
  }

  @Test
  @DisplayName("deadLetter() goes to the DLQ at once, except in a DLQ, where it stays")
  void afterDeadLetter() {
    assertThat(rule.afterDeadLetter(1, DeadLetterReason.REJECTED, null, "declined"))
        .isEqualTo(new Decision.DeadLetter(DeadLetterReason.REJECTED, null, "declined"));
    assertThat(dlq.afterDeadLetter(4, DeadLetterReason.DECODE_ERROR, boom, null))
        .isEqualTo(new Decision.RetryAfter(BACKOFF));
  }

  @Nested
  @DisplayName("after a lease expired")
  class AfterExpiry {
    @Test
    @DisplayName("a begun attempt counts and goes back at once; the last one dead-letters")
    void begunCounts() {
      assertThat(rule.afterLeaseExpired(1, true, Duration.ofSeconds(30)))
          .isEqualTo(new Decision.Release(true));
      Decision last = rule.afterLeaseExpired(3, true, Duration.ofSeconds(30));
      assertThat(last).isInstanceOf(Decision.DeadLetter.class);
      Decision.DeadLetter dead = (Decision.DeadLetter) last;
      assertThat(dead.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
      assertThat(dead.error())
          .isInstanceOf(TimeoutException.class)
          .hasMessageContaining("visibility timeout of PT30S");
    }

    @Test
    @DisplayName("an attempt no handler began is given back uncounted, even the last")
    void unbegunIsGivenBack() {
      assertThat(rule.afterLeaseExpired(3, false, Duration.ofSeconds(30)))
          .isEqualTo(new Decision.Release(false));
    }
  }

  @Nested
  @DisplayName("after a consumer or broker closed")
  class AfterRelease {
    @Test
    @DisplayName("unbegun: given back uncounted; begun: counted and back at once")
    void release() {
      assertThat(rule.afterRelease(3, false, true)).isEqualTo(new Decision.Release(false));
      assertThat(rule.afterRelease(1, true, true)).isEqualTo(new Decision.Release(true));
    }

    @Test
    @DisplayName("a begun last attempt is dead-lettered, unless the broker is just returning it")
    void lastAttempt() {
      assertThat(rule.afterRelease(3, true, true))
          .isEqualTo(
              new Decision.DeadLetter(
                  DeadLetterReason.MAX_RETRIES,
                  null,
                  "its consumer closed before the handler finished the last attempt"));
      assertThat(rule.afterRelease(3, true, false)).isEqualTo(new Decision.Release(true));
    }
  }

  @Test
  @DisplayName("the next attempt of a recorded count is clamped between 1 and the last allowed")
  void nextAttempt() {
    assertThat(rule.nextAttempt(0)).isEqualTo(1);
    assertThat(rule.nextAttempt(1)).isEqualTo(2);
    assertThat(rule.nextAttempt(Integer.MAX_VALUE)).isEqualTo(3);
    assertThat(rule.nextAttempt(-7)).isEqualTo(1);
    assertThat(dlq.nextAttempt(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }
}
