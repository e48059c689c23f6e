package io.jqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.embedded.EmbeddedConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's history: samples kept in order, rates from counters, bounded, queues forgotten.
 */
class QueueHistoryTest {
  @Test
  void keepsTheLastSamplesOldestFirstWithRatesAndForgetsDeletedQueues() {
    try (EmbeddedBroker broker =
            EmbeddedBroker.create(
                EmbeddedConfig.builder().statsReportInterval(Duration.ZERO).build());
        QueueHistory history =
            new QueueHistory(broker, Duration.ofSeconds(1), Duration.ofSeconds(3))) {
      broker.declareQueue(QueueSpec.builder("a").build());
      history.sample();
      assertThat(history.rates("a")).containsExactly(0, 0);
      for (int i = 0; i < 10; i++) {
        broker.publisher().publish(Message.builder().topic("a").text("x").build());
      }
      history.sample();
      assertThat(history.rates("a")[0]).isPositive();
      assertThat(history.rates("a")[1]).isZero();

      broker.declareQueue(QueueSpec.builder("b").build());
      history.sample();
      history.sample(); // four samples, three kept
      JsonNode json = history.toJson();
      assertThat(json.path("t")).hasSize(3);
      assertThat(json.path("queues").path("a").path("depth"))
          .extracting(JsonNode::asDouble)
          .containsExactly(10.0, 10.0, 10.0);
      assertThat(json.path("queues").path("b").path("depth").get(0).isNull())
          .as("no sample of b before it existed")
          .isTrue();

      broker.deleteQueue("a");
      history.sample();
      assertThat(history.toJson().path("queues").has("a")).isFalse();
      assertThat(history.rates("a")).containsExactly(0, 0);
    }
  }
}
