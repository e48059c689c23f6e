package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Broker;
import io.jqueue.ConsumerOptions;
import io.jqueue.QueueSpec;
import io.jqueue.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

  private static Broker meteredBroker(SimpleMeterRegistry registry) {
    return EmbeddedBroker.create(
        EmbeddedConfig.builder()
            .statsReportInterval(Duration.ZERO)
            .meterRegistry(registry)
            .build());
  }

  @Test
  @DisplayName("with a registry configured, meters follow queues and consumers by themselves")
  void metersFollowTopology() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Broker broker = meteredBroker(registry);
    try {
      broker.declareQueue(QueueSpec.builder("metered").build());
      assertThat(registry.find("jqueue.queue.depth").tag("queue", "metered").gauge()).isNotNull();

      Subscription s =
          broker.subscribe("metered", ConsumerOptions.builder().id("w1").build(), d -> {});
      assertThat(registry.find("jqueue.consumer.processed").tag("consumer", "w1").meters())
          .hasSize(1);

      s.close();
      assertThat(registry.find("jqueue.consumer.processed").tag("consumer", "w1").meters())
          .isEmpty();

      broker.deleteQueue("metered");
      assertThat(registry.find("jqueue.queue.depth").tag("queue", "metered").gauge()).isNull();

      broker.declareQueue(QueueSpec.builder("kept").build());
    } finally {
      broker.close(Duration.ofSeconds(1));
    }
    assertThat(registry.find("jqueue.queue.depth").meters()).isEmpty();
  }

  @Test
  @DisplayName("a subscription is metered like a queue, with what its filter skipped")
  void subscriptionMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Broker broker = meteredBroker(registry);
    try {
      broker.declareTopic(io.jqueue.TopicSpec.builder("events").build());
      broker.declareSubscription(
          io.jqueue.SubscriptionSpec.builder("events", "gold")
              .filter("attributes.tier = \"gold\"")
              .build());
      broker.publisher().publish(io.jqueue.Message.builder().topic("events").text("x").build());

      assertThat(
              registry
                  .find("jqueue.queue.filtered")
                  .tag("queue", "events/gold")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(registry.find("jqueue.queue.depth").tag("queue", "events/gold").gauge().value())
          .isZero();
    } finally {
      broker.close(Duration.ofSeconds(1));
    }
  }

  @Test
  @DisplayName("a second binder on the same registry leaves the broker's meters alone at close")
  void secondBinderDoesNotRemoveMetersItDidNotRegister() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Broker broker = meteredBroker(registry);
    try {
      broker.declareQueue(QueueSpec.builder("shared").build());
      io.jqueue.metrics.BrokerMetrics second = new io.jqueue.metrics.BrokerMetrics(broker);
      second.bindTo(registry);
      assertThat(registry.find("jqueue.queue.depth").tag("queue", "shared").meters()).hasSize(1);
      second.close();
      assertThat(registry.find("jqueue.queue.depth").tag("queue", "shared").gauge())
          .as("still the broker's")
          .isNotNull();
      assertThat(registry.find("jqueue.queue.latency").tag("queue", "shared").meters()).hasSize(3);
    } finally {
      broker.close();
    }
  }
}
