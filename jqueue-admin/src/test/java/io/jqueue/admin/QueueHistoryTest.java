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
      publish(broker, "a", 10);
      history.sample();
      assertThat(history.rates("a")[0]).isPositive();
      assertThat(history.rates("a")[1]).isZero();

      broker.declareQueue(QueueSpec.builder("b").build());
      history.sample(); // a: 10, b: 0
      publish(broker, "a", 1);
      history.sample(); // a: 11
      publish(broker, "a", 1);
      history.sample(); // a: 12; five samples taken, the last three kept
      JsonNode json = history.toJson(0);
      assertThat(json.path("t")).hasSize(3);
      assertThat(json.path("t")).extracting(JsonNode::asLong).isSorted();
      assertThat(json.path("queues").path("a").path("depth"))
          .extracting(JsonNode::asDouble)
          .containsExactly(10.0, 11.0, 12.0);
      assertThat(json.path("queues").path("b").path("depth"))
          .extracting(JsonNode::asDouble)
          .containsExactly(0.0, 0.0, 0.0);
      assertThat(json.path("last").asLong()).isEqualTo(5);
      JsonNode newer = history.toJson(4);
      assertThat(newer.path("t")).hasSize(1);
      assertThat(newer.path("queues").path("a").path("depth").get(0).asDouble()).isEqualTo(12.0);
      assertThat(history.toJson(5).path("t")).isEmpty();
      assertThat(history.toJson(99).path("t")).as("a page from before a restart").hasSize(3);

      broker.deleteQueue("a");
      history.sample();
      assertThat(history.toJson(0).path("queues").has("a")).isFalse();
      assertThat(history.rates("a")).containsExactly(0, 0);
    }
  }

  private static void publish(EmbeddedBroker broker, String queue, int n) {
    for (int i = 0; i < n; i++) {
      broker.publisher().publish(Message.builder().topic(queue).text("x").build());
    }
  }
}
