package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Health;
import io.jqueue.HealthContributor;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishReceipt;
import io.jqueue.PublisherOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublisherHealthTest {
  private final AtomicReference<Health> broker = new AtomicReference<>(Health.up());

  private final MessageSink sink =
      (message, deadline) -> new PublishReceipt(message.id(), message.topic(), Instant.now());

  private DefaultPublisher publisher(PublishMiddleware... middlewares) {
    return new DefaultPublisher(
        PublisherOptions.builder().id("p").middlewares(middlewares).build(),
        sink,
        broker::get,
        () -> {});
  }

  /** A pass-through middleware whose health the test sets. */
  private static class Contributing implements PublishMiddleware, HealthContributor {
    final AtomicReference<Health> health = new AtomicReference<>(Health.up());

    @Override
    public PublishReceipt publish(Message message, PublishChain chain) {
      return chain.proceed(message);
    }

    @Override
    public Health health() {
      return health.get();
    }

    @Override
    public String name() {
      return "contributing";
    }
  }

  @Test
  @DisplayName("an open publisher reports its broker's health")
  void brokerHealth() {
    DefaultPublisher p = publisher();
    assertThat(p.health()).isEqualTo(Health.up());

    broker.set(Health.down("connection lost; recovering"));

    assertThat(p.health()).isEqualTo(Health.down("connection lost; recovering"));
  }

  @Test
  @DisplayName("a closed publisher is DOWN, saying so, whatever its broker's health")
  void closedIsDown() {
    DefaultPublisher p = publisher();

    p.close(Duration.ofSeconds(1));

    assertThat(p.health().status()).isEqualTo(Health.Status.DOWN);
    assertThat(p.health().reason()).contains("publisher 'p' is closed");
  }

  @Test
  @DisplayName("a middleware that contributes health makes the publisher as bad as it is")
  void contributorCounts() {
    Contributing c = new Contributing();
    DefaultPublisher p = publisher(c);

    c.health.set(Health.degraded("circuit probing"));
    assertThat(p.health()).isEqualTo(Health.degraded("circuit probing"));

    broker.set(Health.degraded("blocked"));
    assertThat(p.health()).isEqualTo(Health.degraded("blocked; circuit probing"));

    c.health.set(Health.down("circuit open"));
    assertThat(p.health()).isEqualTo(Health.down("circuit open"));
    p.close(Duration.ZERO);
  }

  @Test
  @DisplayName("a contributor that throws or returns null makes the publisher DEGRADED, not broken")
  void brokenContributor() {
    class Throwing extends Contributing {
      @Override
      public Health health() {
        throw new IllegalStateException("boom");
      }
    }
    Contributing nulls = new Contributing();
    nulls.health.set(null);

    assertThat(publisher(new Throwing()).health().status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(publisher(new Throwing()).health().reason())
        .contains("contributing")
        .contains("IllegalStateException");
    assertThat(publisher(nulls).health().status()).isEqualTo(Health.Status.DEGRADED);
  }
}
