package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.RequestTimeoutException;
import io.jqueue.Requester;
import io.jqueue.RequesterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Request-reply on RabbitMQ is direct reply-to, as docs/rabbitmq.md says: checked against a plain
 * amqp-client on each side, and across a connection loss (through a {@link FaultProxy}, which
 * touches only this test's connections).
 */
class RabbitMqRequestReplyTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private RabbitMqBroker broker;
  private Connection plain;
  private String q;

  @BeforeEach
  void open() throws Exception {
    broker = RabbitMqBroker.connect(RabbitMqTestSupport.config().build());
    plain = RabbitMqPublishingTest.plainConnection();
    q = "rr-" + UUID.randomUUID().toString().substring(0, 8);
    broker.declareQueue(QueueSpec.builder(q).build());
  }

  @AfterEach
  void close() throws Exception {
    try {
      broker.deleteQueue(q);
      broker.close();
    } finally {
      plain.close();
    }
  }

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(LONG).pollInterval(Duration.ofMillis(20));
  }

  @Test
  @DisplayName(
      "a request carries reply-to amq.rabbitmq.reply-to.* and its correlation id as AMQP"
          + " properties, no reply queue exists, and a plain client's reply completes it")
  void plainResponder() throws Exception {
    String id = "pricing-" + UUID.randomUUID().toString().substring(0, 8);
    try (Requester requester = broker.requester(RequesterOptions.builder().id(id).build());
        Channel ch = plain.createChannel()) {
      CompletableFuture<Message> reply =
          requester.request(Message.builder().topic(q).text("apple").build(), LONG);

      GetResponse request = awaitGet(ch, q);
      AMQP.BasicProperties p = request.getProps();
      assertThat(p.getReplyTo()).startsWith("amq.rabbitmq.reply-to.");
      assertThat(p.getCorrelationId()).isNotBlank();
      assertThat(p.getHeaders()).doesNotContainKeys("reply-to", "correlation-id");
      ch.basicAck(request.getEnvelope().getDeliveryTag(), false);
      ch.basicPublish(
          "",
          p.getReplyTo(),
          new AMQP.BasicProperties.Builder().correlationId(p.getCorrelationId()).build(),
          "1.20".getBytes(StandardCharsets.UTF_8));

      Message answer = reply.get(LONG.toSeconds(), TimeUnit.SECONDS);
      assertThat(answer.text()).isEqualTo("1.20");
      assertThat(answer.correlationId()).contains(p.getCorrelationId());
      assertThat(queueExists("jqueue.replies." + id)).isFalse();
    }
  }

  @Test
  @DisplayName("broker.respond answers a plain client's direct reply-to request")
  void plainRequester() throws Exception {
    broker.respond(q, d -> Message.builder().text("re:" + d.text()).build());
    BlockingQueue<String> replies = new ArrayBlockingQueue<>(1);
    try (Channel ch = plain.createChannel()) {
      ch.basicConsume(
          "amq.rabbitmq.reply-to",
          true,
          (tag, delivery) ->
              replies.add(
                  delivery.getProperties().getCorrelationId()
                      + " "
                      + new String(delivery.getBody(), StandardCharsets.UTF_8)),
          tag -> {});
      ch.basicPublish(
          "",
          q,
          new AMQP.BasicProperties.Builder()
              .correlationId("plain-1")
              .replyTo("amq.rabbitmq.reply-to")
              .build(),
          "banana".getBytes(StandardCharsets.UTF_8));

      assertThat(replies.poll(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("plain-1 re:banana");
    }
  }

  @Test
  @DisplayName(
      "after a connection loss the reply consumer is back: a request pending across it times out"
          + " (its reply went to a channel that is gone), later ones are answered")
  void connectionLoss() throws Exception {
    try (FaultProxy proxy = new FaultProxy(5672);
        RabbitMqBroker viaProxy =
            RabbitMqBroker.connect(
                RabbitMqTestSupport.config()
                    .uri(proxy.uri())
                    .connectionName("jqueue-test-request-reply")
                    .build())) {
      viaProxy.declareQueue(QueueSpec.builder(q).build());
      CountDownLatch arrived = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      broker.respond( // outside the proxy: only the requester's connection is lost
          q,
          ConsumerOptions.builder().concurrency(2).build(),
          d -> {
            if (d.text().equals("held")) {
              arrived.countDown();
              release.await(LONG.toSeconds(), TimeUnit.SECONDS);
            }
            return Message.builder().text("re:" + d.text()).build();
          });
      Requester requester = viaProxy.requester();
      assertThat(requester.request(text("before"), LONG).get(30, TimeUnit.SECONDS).text())
          .isEqualTo("re:before");
      CompletableFuture<Message> held = requester.request(text("held"), Duration.ofSeconds(5));
      assertThat(arrived.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
      // confirmed: a publish whose confirm the loss cut off would be sent again after recovery,
      // from the new channel, and that copy's reply would arrive (at-least-once)
      eventually().until(() -> viaProxy.stats(q).published() == 2);

      proxy.dropAll();
      eventually().until(() -> !viaProxy.health().isUp());
      eventually().until(() -> viaProxy.health().isUp());
      release.countDown();

      assertThat(held)
          .failsWithin(LONG)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(RequestTimeoutException.class);
      assertThat(requester.request(text("after"), LONG).get(30, TimeUnit.SECONDS).text())
          .isEqualTo("re:after");
      assertThat(requester.stats().pending()).isZero();
      requester.close();
    }
  }

  @Test
  @DisplayName("a plain client's message with reply-to but no correlation id is dead-lettered")
  void plainNonRequest() throws Exception {
    broker.respond(q, d -> Message.builder().text("never").build());
    try (Channel ch = plain.createChannel()) {
      ch.basicPublish(
          "", q, new AMQP.BasicProperties.Builder().replyTo("plain-replies").build(), new byte[0]);
    }
    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(broker.deadLetters(q).peek(1).get(0).errorMessage())
        .contains("not a request", "correlation-id");
  }

  private Message text(String text) {
    return Message.builder().topic(q).text(text).build();
  }

  private static GetResponse awaitGet(Channel ch, String queue) {
    GetResponse[] got = new GetResponse[1];
    eventually().until(() -> (got[0] = ch.basicGet(queue, false)) != null);
    return got[0];
  }

  private boolean queueExists(String name) throws Exception {
    Channel ch = plain.createChannel();
    try {
      ch.queueDeclarePassive(name);
      ch.close();
      return true;
    } catch (IOException notFound) {
      return false; // the server closed the channel: 404
    }
  }
}
