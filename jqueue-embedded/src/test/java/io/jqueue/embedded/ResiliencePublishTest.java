package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.CircuitOpenException;
import io.jqueue.Delivery;
import io.jqueue.Health;
import io.jqueue.Message;
import io.jqueue.OverflowPolicy;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueFullException;
import io.jqueue.QueueSpec;
import io.jqueue.middleware.CircuitBreaker;
import io.jqueue.middleware.Retry;
import io.jqueue.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Retry and circuit breaker in a real publisher on the embedded broker: a full queue (a transient
 * failure) trips the breaker, the publisher's health says so, and it recovers once the queue
 * drains.
 */
class ResiliencePublishTest {
  private final ManualTimeSource breakerTime = new ManualTimeSource();
  private final EmbeddedBroker broker = EmbeddedBroker.create();

  @AfterEach
  void close() {
    broker.close(Duration.ofSeconds(5));
  }

  private static Message to(String queue) {
    return Message.builder().topic(queue).text("m").build();
  }

  @Test
  @DisplayName(
      "a full queue opens the breaker; the publisher is DOWN and refuses at once; once the queue"
          + " drains a probe closes it and the publisher is UP")
  void tripsAndRecovers() {
    broker.declareQueue(
        QueueSpec.builder("tiny").maxSize(1).overflow(OverflowPolicy.REJECT).build());
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .name("tiny")
            .failureThreshold(2)
            .openWait(Duration.ofSeconds(10))
            .timeSource(breakerTime)
            .build();
    Publisher publisher =
        broker.publisher(PublisherOptions.builder().id("guarded").middlewares(breaker).build());
    publisher.publish(to("tiny"));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> publisher.publish(to("tiny")))
          .isInstanceOf(QueueFullException.class);
    }

    assertThat(publisher.health().status()).isEqualTo(Health.Status.DOWN);
    assertThat(publisher.health().reason()).contains("circuit breaker 'tiny' is open");
    assertThat(broker.health()).isEqualTo(Health.up());
    long published = broker.stats("tiny").published();
    assertThatThrownBy(() -> publisher.publish(to("tiny")))
        .isInstanceOf(CircuitOpenException.class);
    assertThat(broker.stats("tiny").published()).isEqualTo(published);

    List<Delivery> drained = broker.receive("tiny", 1, Duration.ofSeconds(5));
    drained.forEach(Delivery::ack);
    breakerTime.advance(Duration.ofSeconds(11));
    publisher.publish(to("tiny"));

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(publisher.health()).isEqualTo(Health.up());
  }

  @Test
  @DisplayName(
      "a retry outside the breaker retries the failures that trip it, then stops at the open"
          + " circuit instead of hammering it")
  void retryStopsAtOpenCircuit() {
    broker.declareQueue(
        QueueSpec.builder("tiny").maxSize(1).overflow(OverflowPolicy.REJECT).build());
    CircuitBreaker breaker =
        CircuitBreaker.builder().name("tiny").failureThreshold(3).timeSource(breakerTime).build();
    Retry retry =
        Retry.builder().maxAttempts(10).initialDelay(Duration.ofMillis(1)).jitter(0).build();
    Publisher publisher =
        broker.publisher(PublisherOptions.builder().middlewares(retry, breaker).build());
    publisher.publish(to("tiny"));

    assertThatThrownBy(() -> publisher.publish(to("tiny")))
        .isInstanceOf(CircuitOpenException.class)
        .hasCauseInstanceOf(QueueFullException.class);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }
}
