package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.ConfigurationException;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.UnroutableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Publishing rules specific to RabbitMQ: routing, the seed's options, the channel pool. */
class RabbitMqPublishingTest {

  private static String unique(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  @DisplayName("a message a named exchange cannot route is an UnroutableException")
  void unroutable() throws Exception {
    String exchange = unique("jqueue-test-exchange");
    try (RabbitMqBroker broker =
        RabbitMqBroker.connect(RabbitMqTestSupport.config().exchange(exchange).build())) {
      String routed = unique("routed");
      broker.declareQueue(QueueSpec.builder(routed).build());
      try {
        Publisher p = broker.publisher();

        assertThatThrownBy(
                () -> p.publish(Message.builder().topic(unique("nowhere")).text("x").build()))
            .isInstanceOf(UnroutableException.class)
            .hasMessageContaining("routed message")
            .hasMessageContaining(exchange);

        p.publish(Message.builder().topic(routed).text("routed").build());
        assertThat(broker.stats(routed).ready()).isEqualTo(1);
      } finally {
        broker.deleteQueue(routed);
        deleteExchange(exchange);
      }
    }
  }

  @Test
  @DisplayName(
      "RabbitMqConfig.defaultHeaders go in before the publish chain: middlewares see them, the"
          + " publisher's own defaults and the message's headers win")
  void brokerDefaultHeadersBeforeTheChain() {
    try (RabbitMqBroker broker =
        RabbitMqBroker.connect(
            RabbitMqTestSupport.config()
                .defaultHeaders(
                    java.util.Map.of("service", "orders", "region", "eu", "team", "payments"))
                .build())) {
      String q = unique("defaults");
      broker.declareQueue(QueueSpec.builder(q).build());
      try {
        java.util.List<java.util.Map<String, String>> seen =
            new java.util.concurrent.CopyOnWriteArrayList<>();
        Publisher p =
            broker.publisher(
                io.jqueue.PublisherOptions.builder()
                    .defaultHeaders(java.util.Map.of("region", "us"))
                    .middlewares(
                        java.util.List.of(
                            (message, chain) -> {
                              seen.add(message.headers());
                              return chain.proceed(message);
                            }))
                    .build());

        p.publish(Message.builder().topic(q).text("x").header("service", "mine").build());

        assertThat(seen)
            .singleElement()
            .satisfies(
                h ->
                    assertThat(h)
                        .containsEntry("service", "mine")
                        .containsEntry("region", "us")
                        .containsEntry("team", "payments")); // only the broker sets it
        java.util.List<io.jqueue.Delivery> got = broker.receive(q, 1, Duration.ofSeconds(5));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).message().headers())
            .containsEntry("service", "mine")
            .containsEntry("region", "us");
        got.get(0).ack();
        broker.publisher().publish(Message.builder().topic(q).text("y").build());
        java.util.List<io.jqueue.Delivery> plain = broker.receive(q, 1, Duration.ofSeconds(5));
        assertThat(plain.get(0).message().headers())
            .containsEntry("service", "orders")
            .containsEntry("region", "eu");
        plain.get(0).ack();
      } finally {
        broker.deleteQueue(q);
      }
    }
  }

  @Test
  @DisplayName("immediate=true is refused with an explanation; immediate=false is accepted")
  void immediateRefused() {
    assertThatThrownBy(() -> RabbitMqConfig.builder().immediate(true))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("removed the immediate flag in 3.0")
        .hasMessageContaining("messageTtl");
    assertThat(RabbitMqConfig.builder().immediate(false).build().mandatory()).isTrue();
  }

  @Test
  @DisplayName("bad configuration is refused before connecting")
  void badConfiguration() {
    assertThatThrownBy(() -> RabbitMqConfig.builder().uri("http://localhost"))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> RabbitMqConfig.builder().exchange("amq.direct"))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> RabbitMqConfig.builder().channelPoolSize(0))
        .isInstanceOf(JQueueException.class);
    assertThatThrownBy(
            () ->
                RabbitMqBroker.connect(
                    RabbitMqTestSupport.config()
                        .uri("amqp://guest:guest@127.0.0.1:1")
                        .operationTimeout(Duration.ofSeconds(2))
                        .build()))
        .isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("cannot connect");
  }

  @Test
  @DisplayName("ten concurrent publishers never open more channels than the pool's size")
  void poolIsBounded() throws Exception {
    try (RabbitMqBroker broker =
        RabbitMqBroker.connect(RabbitMqTestSupport.config().channelPoolSize(3).build())) {
      String q = unique("pool");
      broker.declareQueue(QueueSpec.builder(q).build());
      ExecutorService threads = Executors.newFixedThreadPool(10);
      try {
        Publisher p = broker.publisher();
        AtomicInteger peakSeen = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
          running.add(
              threads.submit(
                  () -> {
                    for (int i = 0; i < 200; i++) {
                      p.publish(Message.builder().topic(q).text("m").build());
                      peakSeen.accumulateAndGet(broker.openPublishingChannels(), Math::max);
                    }
                  }));
        }
        for (Future<?> f : running) {
          f.get(60, TimeUnit.SECONDS);
        }

        assertThat(broker.stats(q).ready()).isEqualTo(2000);
        // a publisher holds a channel only for its basic.publish (confirms are awaited after
        // release), so how many were open at once depends on scheduling; the bound never does
        assertThat(broker.peakPublishingChannels()).isBetween(1, 3);
        assertThat(peakSeen.get()).isLessThanOrEqualTo(3);
      } finally {
        threads.shutdownNow();
        broker.deleteQueue(q);
      }
    }
  }

  @Test
  @DisplayName("channels killed by channel errors are replaced, never leaked")
  void noLeakAfterChannelErrors() throws Exception {
    String exchange = unique("jqueue-test-exchange");
    try (RabbitMqBroker broker =
        RabbitMqBroker.connect(
            RabbitMqTestSupport.config().exchange(exchange).channelPoolSize(2).build())) {
      String q = unique("leak");
      broker.declareQueue(QueueSpec.builder(q).build());
      Publisher p = broker.publisher();
      deleteExchange(exchange); // every publish now kills its channel (404 NOT_FOUND)
      try {
        for (int i = 0; i < 20; i++) {
          assertThatThrownBy(
                  () ->
                      p.publish(
                          Message.builder().topic(q).text("x").build(), Duration.ofMillis(500)))
              .isInstanceOf(JQueueException.class);
          assertThat(broker.openPublishingChannels()).isLessThanOrEqualTo(2);
        }
        assertThat(broker.peakPublishingChannels()).isLessThanOrEqualTo(2);

        declareExchangeAndBind(exchange, q);
        p.publish(Message.builder().topic(q).text("works again").build());
        assertThat(broker.stats(q).ready()).isEqualTo(1);
      } finally {
        broker.deleteQueue(q);
        deleteExchange(exchange);
      }
    }
  }

  private static void deleteExchange(String exchange) throws Exception {
    try (Connection c = plainConnection();
        Channel ch = c.createChannel()) {
      ch.exchangeDelete(exchange);
    }
  }

  private static void declareExchangeAndBind(String exchange, String queue) throws Exception {
    try (Connection c = plainConnection();
        Channel ch = c.createChannel()) {
      ch.exchangeDeclare(exchange, "direct", true);
      ch.queueBind(queue, exchange, queue);
    }
  }

  static Connection plainConnection() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(RabbitMqTestSupport.URI);
    return f.newConnection("jqueue-test-plain");
  }
}
