package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.CircuitOpenException;
import io.jqueue.ConfigurationException;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueFullException;
import io.jqueue.ValidationException;
import io.jqueue.internal.PublishPipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RetryTest {
  private static final Duration FAR = Duration.ofHours(1);

  private final Message message = Message.builder().topic("orders").text("hello").build();
  private final List<Duration> waits = new ArrayList<>();

  private static RuntimeException unavailable(int attempt) {
    return new BrokerUnavailableException("connection lost (attempt " + attempt + ")");
  }

  private Retry.Builder exact(FakeChain chain) {
    return Retry.builder().jitter(0).sleeper(chain.sleeper(waits));
  }

  @Nested
  @DisplayName("stopping")
  class Stopping {
    @Test
    @DisplayName("a publish failing every attempt stops at maxAttempts with the last error")
    void stopsAtMaxAttempts() {
      FakeChain chain = new FakeChain(FAR, RetryTest::unavailable);
      Retry retry = exact(chain).maxAttempts(4).build();

      assertThatThrownBy(() -> retry.publish(message, chain))
          .isSameAs(chain.thrown.get(3))
          .hasMessageContaining("attempt 4");
      assertThat(chain.attempts).hasSize(4);
      assertThat(waits).hasSize(3);
    }

    @Test
    @DisplayName(
        "a publish stops at the caller's deadline before maxAttempts when the next wait would"
            + " pass it")
    void stopsAtTheDeadline() {
      // waits 100, 200, 400 ms end at 700 ms; the next (800 ms) would end past the 1 s deadline
      FakeChain chain = new FakeChain(Duration.ofSeconds(1), RetryTest::unavailable);
      Retry retry =
          exact(chain)
              .maxAttempts(100)
              .initialDelay(Duration.ofMillis(100))
              .maxDelay(Duration.ofSeconds(10))
              .build();

      assertThatThrownBy(() -> retry.publish(message, chain)).isSameAs(chain.thrown.get(3));
      assertThat(chain.attempts).hasSize(4);
      assertThat(waits).containsExactly(millis(100), millis(200), millis(400));
      assertThat(chain.now).isBefore(chain.deadline());
    }

    @Test
    @DisplayName("a retry never makes a real caller wait past its publish timeout")
    void realDeadline() {
      AtomicInteger sends = new AtomicInteger();
      PublishPipeline pipeline =
          new PublishPipeline(
              PublisherOptions.builder()
                  .middlewares(
                      Retry.builder()
                          .maxAttempts(100)
                          .initialDelay(Duration.ofMillis(20))
                          .multiplier(1.5)
                          .maxDelay(Duration.ofMillis(200))
                          .build())
                  .build(),
              (m, deadline) -> {
                sends.incrementAndGet();
                throw new QueueFullException("orders", 1);
              });
      Duration timeout = Duration.ofMillis(500);

      long start = System.nanoTime();
      assertThatThrownBy(() -> pipeline.publish(message, Instant.now().plus(timeout)))
          .isInstanceOf(QueueFullException.class);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      // generous for a loaded machine: the point is that it stops near the deadline, not later
      assertThat(took).isLessThan(timeout.plusSeconds(2));
      assertThat(sends.get()).isBetween(2, 99);
    }

    @Test
    @DisplayName("an interrupt during a wait stops the retry with the last error, flag kept")
    void interrupted() {
      FakeChain chain = new FakeChain(FAR, RetryTest::unavailable);
      Retry retry =
          Retry.builder()
              .sleeper(
                  d -> {
                    throw new InterruptedException("stop");
                  })
              .build();
      try {
        assertThatThrownBy(() -> retry.publish(message, chain)).isSameAs(chain.thrown.get(0));
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(chain.attempts).hasSize(1);
    }
  }

  @Nested
  @DisplayName("what is retried")
  class WhatIsRetried {
    @Test
    @DisplayName("transient failures are retried with the same message until one succeeds")
    void retriesTransient() {
      FakeChain chain =
          new FakeChain(
              FAR,
              n ->
                  switch (n) {
                    case 1 -> new PublishTimeoutException("slow", Duration.ofSeconds(1));
                    case 2 -> new QueueFullException("orders", 10);
                    default -> null;
                  });
      Retry retry = exact(chain).maxAttempts(5).build();

      PublishReceipt receipt = retry.publish(message, chain);

      assertThat(receipt.messageId()).isEqualTo(message.id());
      assertThat(chain.attempts).hasSize(3).allSatisfy(m -> assertThat(m).isSameAs(message));
    }

    @Test
    @DisplayName("a validation error, an open circuit and an unknown error are not retried")
    void permanentNotRetried() {
      for (RuntimeException error :
          List.of(
              new ValidationException("no topic"),
              new CircuitOpenException("open"),
              new IllegalStateException("bug"))) {
        FakeChain chain = new FakeChain(FAR, n -> error);
        Retry retry = exact(chain).maxAttempts(5).build();

        assertThatThrownBy(() -> retry.publish(message, chain)).isSameAs(error);
        assertThat(chain.attempts).as("attempts after %s", error).hasSize(1);
      }
      assertThat(waits).isEmpty();
    }

    @Test
    @DisplayName("a custom predicate decides what is retried; one that throws means no retry")
    void customPredicate() {
      FakeChain chain = new FakeChain(FAR, n -> n < 3 ? new IllegalStateException("x") : null);
      Retry retry =
          exact(chain).maxAttempts(5).retryOn(e -> e instanceof IllegalStateException).build();
      retry.publish(message, chain);
      assertThat(chain.attempts).hasSize(3);

      FakeChain other = new FakeChain(FAR, RetryTest::unavailable);
      Retry throwing =
          exact(other)
              .retryOn(
                  e -> {
                    throw new IllegalArgumentException("broken predicate");
                  })
              .build();
      assertThatThrownBy(() -> throwing.publish(message, other))
          .isInstanceOf(BrokerUnavailableException.class);
      assertThat(other.attempts).hasSize(1);
    }
  }

  @Nested
  @DisplayName("backoff")
  class Backoff {
    @Test
    @DisplayName("each wait grows by the multiplier up to maxDelay")
    void grows() {
      FakeChain chain = new FakeChain(FAR, RetryTest::unavailable);
      Retry retry =
          exact(chain)
              .maxAttempts(6)
              .initialDelay(Duration.ofMillis(100))
              .multiplier(2)
              .maxDelay(Duration.ofMillis(500))
              .build();

      assertThatThrownBy(() -> retry.publish(message, chain));

      assertThat(waits)
          .containsExactly(millis(100), millis(200), millis(400), millis(500), millis(500));
      List<Duration> gaps = new ArrayList<>();
      for (int i = 1; i < chain.attemptTimes.size(); i++) {
        gaps.add(Duration.between(chain.attemptTimes.get(i - 1), chain.attemptTimes.get(i)));
      }
      assertThat(gaps).isEqualTo(waits);
    }

    @Test
    @DisplayName("jitter spreads each wait around its value and never past maxDelay")
    void jitter() {
      FakeChain chain = new FakeChain(FAR, RetryTest::unavailable);
      Retry retry =
          Retry.builder()
              .sleeper(chain.sleeper(waits))
              .maxAttempts(40)
              .initialDelay(Duration.ofMillis(100))
              .multiplier(1.0)
              .jitter(0.5)
              .maxDelay(Duration.ofMillis(130))
              .build();

      assertThatThrownBy(() -> retry.publish(message, chain));

      assertThat(waits)
          .hasSize(39)
          .allSatisfy(w -> assertThat(w).isBetween(millis(50), millis(130)));
      assertThat(waits.stream().distinct().count()).as("waits differ").isGreaterThan(1);
    }
  }

  @Nested
  @DisplayName("options")
  class Options {
    @Test
    @DisplayName("nonsense options are refused, naming the option")
    void refusesNonsense() {
      assertThatThrownBy(() -> Retry.builder().maxAttempts(0))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("maxAttempts");
      assertThatThrownBy(() -> Retry.builder().multiplier(0.5))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("multiplier");
      assertThatThrownBy(() -> Retry.builder().multiplier(Double.NaN))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> Retry.builder().jitter(1.5))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("jitter");
      assertThatThrownBy(() -> Retry.builder().initialDelay(Duration.ZERO))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("initialDelay");
      assertThatThrownBy(() -> Retry.builder().initialDelay(Duration.ofNanos(500)))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> Retry.builder().maxDelay(null))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("maxDelay");
      assertThatThrownBy(
              () ->
                  Retry.builder()
                      .initialDelay(Duration.ofSeconds(2))
                      .maxDelay(Duration.ofSeconds(1))
                      .build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("maxDelay")
          .hasMessageContaining("initialDelay");
    }

    @Test
    @DisplayName("it is named 'retry' and says its settings")
    void describes() {
      Retry retry = Retry.builder().maxAttempts(7).build();
      assertThat(retry.name()).isEqualTo("retry");
      assertThat(retry.toString()).contains("maxAttempts=7");
    }
  }

  private static Duration millis(long ms) {
    return Duration.ofMillis(ms);
  }
}
