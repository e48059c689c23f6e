package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What docs/rabbitmq.md promises of topics, checked against RabbitMQ itself. */
class RabbitMqTopicTest {
  private final String topic = "rt-topic-" + UUID.randomUUID().toString().substring(0, 8);
  private RabbitMqBroker broker = RabbitMqBroker.connect(RabbitMqTestSupport.config().build());

  @AfterEach
  void cleanUp() {
    broker.deleteTopic(topic);
    broker.close();
  }

  private List<String> drain(String address, int n) {
    List<String> got = new ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              for (Delivery d : broker.receive(address, n, Duration.ofMillis(100))) {
                got.add(d.text() + "@" + d.message().topic());
                d.ack();
              }
              return got.size() >= n;
            });
    return got;
  }

  @Test
  @DisplayName("a plain AMQP publisher reaches subscribers through the topic exchange and action")
  void plainPublisherReachesSubscribers() throws Exception {
    broker.declareTopic(TopicSpec.builder(topic).build());
    broker.declareSubscription(SubscriptionSpec.builder(topic, "mailer").actions("user.*").build());

    try (Connection plain = RabbitMqPublishingTest.plainConnection();
        Channel ch = plain.createChannel()) {
      ch.basicPublish(
          topic,
          "user.created",
          new AMQP.BasicProperties.Builder().messageId("legacy-1").build(),
          "from a plain client".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish(
          topic, "order.created", null, "not for mailer".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(drain(topic + "/mailer", 1)).containsExactly("from a plain client@" + topic);
    assertThat(broker.receive(topic + "/mailer", 1, Duration.ofMillis(300))).isEmpty();
  }

  @Test
  @DisplayName("replay reads the retention stream after the publishing process is gone")
  void replayAfterRestart() {
    TopicSpec spec = TopicSpec.builder(topic).retention(Duration.ofHours(1)).build();
    SubscriptionSpec sub = SubscriptionSpec.builder(topic, "audit").build();
    broker.declareTopic(spec);
    broker.declareSubscription(sub);
    broker.publisher().publish(Message.builder().topic(topic).action("a").text("one").build());
    broker.publisher().publish(Message.builder().topic(topic).action("a").text("two").build());
    assertThat(drain(sub.address(), 2)).hasSize(2);
    broker.close(); // the process is gone; RabbitMQ keeps the exchange, queue and stream

    broker = RabbitMqBroker.connect(RabbitMqTestSupport.config().build());
    broker.declareTopic(spec);
    broker.declareSubscription(sub);
    broker.seek(sub.address(), Instant.now().minusSeconds(60));

    assertThat(drain(sub.address(), 2)).containsExactly("one@" + topic, "two@" + topic);
  }
}
