package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The wire format of docs/rabbitmq.md, checked against a plain amqp-client on both sides. */
class InteropTest {
  record Order(String id, int amount) {}

  private RabbitMqBroker broker;
  private Connection plain;
  private String q;

  @BeforeEach
  void open() throws Exception {
    broker = RabbitMqBroker.connect(RabbitMqTestSupport.config().build());
    plain = RabbitMqPublishingTest.plainConnection();
    q = "interop-" + UUID.randomUUID().toString().substring(0, 8);
    broker.declareQueue(QueueSpec.builder(q).maxRetries(1).maxPriority(5).build());
  }

  @AfterEach
  void close() throws Exception {
    broker.deleteQueue(q);
    broker.close();
    plain.close();
  }

  @Test
  @DisplayName("a plain AMQP consumer reads a jqueue message with the documented properties")
  void jqueueToPlain() throws Exception {
    Instant timestamp = Instant.parse("2026-11-22T10:15:30.123Z");
    Message m =
        Message.builder()
            .topic(q)
            .action("order.created")
            .key("customer-7")
            .priority(3)
            .timestamp(timestamp)
            .ttl(Duration.ofMinutes(5))
            .header("tenant", "acme")
            .data(new Order("o-1", 42))
            .build();

    broker.publisher().publish(m);

    try (Channel ch = plain.createChannel()) {
      GetResponse r = ch.basicGet(q, true);
      AMQP.BasicProperties p = r.getProps();
      assertThat(p.getMessageId()).isEqualTo(m.id());
      assertThat(p.getType()).isEqualTo("order.created");
      assertThat(p.getContentType()).isEqualTo("application/json");
      assertThat(p.getDeliveryMode()).isEqualTo(2);
      assertThat(p.getPriority()).isEqualTo(3);
      assertThat(p.getExpiration()).isEqualTo("300000");
      assertThat(p.getTimestamp().toInstant()).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
      Map<String, Object> h = p.getHeaders();
      assertThat(h.get("tenant").toString()).isEqualTo("acme");
      assertThat(h.get("jqueue-key").toString()).isEqualTo("customer-7");
      assertThat(h.get("jqueue-timestamp")).isEqualTo(timestamp.toEpochMilli());
      assertThat(h).doesNotContainKey("jqueue-attempts");
      assertThat(new String(r.getBody(), StandardCharsets.UTF_8))
          .isEqualTo("{\"id\":\"o-1\",\"amount\":42}");
    }
  }

  @Test
  @DisplayName("jqueue consumes what a plain AMQP publisher sent, with or without a message id")
  void plainToJqueue() throws Exception {
    try (Channel ch = plain.createChannel()) {
      ch.basicPublish(
          "",
          q,
          new AMQP.BasicProperties.Builder()
              .messageId("legacy-1")
              .contentType("text/plain")
              .type("legacy.event")
              .headers(Map.of("origin", "legacy", "count", 3))
              .build(),
          "hello".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", q, null, "no properties".getBytes(StandardCharsets.UTF_8));
    }

    List<Delivery> got = receive(2);

    Message first = got.get(0).message();
    assertThat(first.id()).isEqualTo("legacy-1");
    assertThat(first.text()).isEqualTo("hello");
    assertThat(first.contentType()).isEqualTo("text/plain");
    assertThat(first.action()).isEqualTo("legacy.event");
    assertThat(first.headers()).containsEntry("origin", "legacy").containsEntry("count", "3");
    assertThat(got.get(0).attempt()).isOne();
    Message second = got.get(1).message();
    assertThat(second.id()).isNotBlank();
    assertThat(second.text()).isEqualTo("no properties");
    assertThat(second.contentType()).isEqualTo(Message.OCTET_STREAM);
    got.forEach(Delivery::ack);
  }

  @Test
  @DisplayName("a dead letter carries its reason headers for any AMQP client to read")
  void deadLetterHeadersOnTheWire() throws Exception {
    broker.publisher().publish(Message.builder().topic(q).text("doomed").build());
    receive(1).get(0).fail(new IllegalStateException("card declined"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> broker.deadLetters(q).count() == 1);

    try (Channel ch = plain.createChannel()) {
      GetResponse r = ch.basicGet(q + ".dlq", false);
      Map<String, Object> h = r.getProps().getHeaders();
      assertThat(h.get("jqueue-dlq-reason").toString()).isEqualTo("MAX_RETRIES");
      assertThat(h.get("jqueue-dlq-attempts").toString()).isEqualTo("1");
      assertThat(h.get("jqueue-dlq-error-class").toString())
          .isEqualTo(IllegalStateException.class.getName());
      assertThat(h.get("jqueue-dlq-error-message").toString()).isEqualTo("card declined");
      assertThat(h.get("jqueue-dlq-original-queue").toString()).isEqualTo(q);
      assertThat(r.getProps().getExpiration()).isNull();
      ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
    }
  }

  @Test
  @DisplayName("correlation id and reply-to travel as AMQP properties, the publisher id as app-id")
  void correlationReplyToAndAppId() throws Exception {
    try (io.jqueue.Publisher pub =
        broker.publisher(io.jqueue.PublisherOptions.builder().id("user-service").build())) {
      pub.publish(
          Message.builder()
              .topic(q)
              .text("req")
              .correlationId("req-456")
              .replyTo("replies")
              .build());
    }

    try (Channel ch = plain.createChannel()) {
      GetResponse r = ch.basicGet(q, true);
      AMQP.BasicProperties p = r.getProps();
      assertThat(p.getCorrelationId()).isEqualTo("req-456");
      assertThat(p.getReplyTo()).isEqualTo("replies");
      assertThat(p.getAppId()).isEqualTo("user-service");
      assertThat(p.getHeaders()).doesNotContainKeys("correlation-id", "reply-to");
      ch.basicPublish(
          "",
          q,
          new AMQP.BasicProperties.Builder().correlationId("c-9").replyTo("price-replies").build(),
          "answer".getBytes(StandardCharsets.UTF_8));
    }

    Message got = receive(1).get(0).message();
    assertThat(got.correlationId()).contains("c-9");
    assertThat(got.replyTo()).contains("price-replies");
  }

  @Test
  @DisplayName(
      "jqueue connects through the application's own ConnectionFactory, leaving it as it was")
  void ownConnectionFactory() throws Exception {
    com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
    factory.setUri(RabbitMqTestSupport.URI);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setChannelRpcTimeout(0);
    RabbitMqConfig config =
        RabbitMqTestSupport.config()
            .uri("amqp://nobody:wrong@127.0.0.1:1")
            .connectionFactory(factory)
            .build();

    try (RabbitMqBroker viaFactory = RabbitMqBroker.connect(config)) {
      viaFactory.publisher().publish(Message.builder().topic(q).text("via factory").build());
      assertThat(config.toString()).contains("127.0.0.1").doesNotContain("guest:guest");
    }

    assertThat(receive(1).get(0).text()).isEqualTo("via factory");
    assertThat(factory.isAutomaticRecoveryEnabled())
        .as("the caller's factory is untouched")
        .isFalse();
    assertThat(factory.getChannelRpcTimeout()).isZero();
  }

  private List<Delivery> receive(int n) {
    List<Delivery> got = new java.util.ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              got.addAll(broker.receive(q, n - got.size(), Duration.ofMillis(200)));
              return got.size() == n;
            });
    return got;
  }
}
