package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Health;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Health follows the broker's own connections: they run through a {@link FaultProxy}, which drops
 * them or tells them the server blocked them; RabbitMQ and every other connection are untouched.
 */
class RabbitMqHealthTest {
  private final List<Health> changes = new CopyOnWriteArrayList<>();
  private FaultProxy proxy;
  private RabbitMqBroker broker;

  @BeforeEach
  void open() throws Exception {
    proxy = new FaultProxy(5672);
    broker =
        RabbitMqBroker.connect(
            RabbitMqTestSupport.config()
                .uri(proxy.uri())
                .connectionName("jqueue-test-health")
                .operationTimeout(Duration.ofSeconds(5))
                .build());
    broker.onHealthChange((previous, current) -> changes.add(current));
  }

  @AfterEach
  void close() throws Exception {
    try {
      proxy.injectToAll(FaultProxy.connectionUnblocked());
    } catch (java.io.IOException e) {
      // already gone
    }
    try {
      broker.close(Duration.ofSeconds(5));
    } finally {
      proxy.close();
    }
  }

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20));
  }

  @Test
  @DisplayName("a lost connection makes the broker DOWN while it recovers, then UP again")
  void lostThenRecovered() {
    Publisher publisher = broker.publisher(PublisherOptions.builder().id("health").build());
    assertThat(broker.health()).isEqualTo(Health.up());

    proxy.dropAll();

    eventually().until(() -> !changes.isEmpty());
    assertThat(changes.get(0).status()).isEqualTo(Health.Status.DOWN);
    assertThat(changes.get(0).reason()).contains("lost").contains("recovering");
    eventually().until(() -> broker.health().isUp());
    eventually().until(() -> changes.get(changes.size() - 1).isUp());
    assertThat(changes)
        .allSatisfy(h -> assertThat(h.status()).isNotEqualTo(Health.Status.DEGRADED));
    assertThat(publisher.health()).isEqualTo(Health.up());

    String q = "health-" + System.nanoTime();
    broker.declareQueue(QueueSpec.builder(q).build());
    try {
      publisher.publish(Message.builder().topic(q).text("after recovery").build());
    } finally {
      broker.deleteQueue(q);
    }
  }

  @Test
  @DisplayName("a connection the server blocks makes the broker DEGRADED until it is unblocked")
  void blockedThenUnblocked() throws Exception {
    proxy.injectToAll(FaultProxy.connectionBlocked("test: low on memory"));

    eventually().until(() -> broker.health().status() == Health.Status.DEGRADED);
    assertThat(broker.health().reason()).contains("test: low on memory");
    assertThat(broker.publisher().health().status()).isEqualTo(Health.Status.DEGRADED);

    proxy.injectToAll(FaultProxy.connectionUnblocked());

    eventually().until(() -> broker.health().isUp());
    eventually().until(() -> changes.size() >= 2);
    assertThat(changes.get(0).status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(changes.get(changes.size() - 1)).isEqualTo(Health.up());
  }
}
