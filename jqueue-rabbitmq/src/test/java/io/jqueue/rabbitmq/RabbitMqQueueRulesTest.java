package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.jqueue.Backoff;
import io.jqueue.ConsumerOptions;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.Subscription;
import io.jqueue.TopologyConflictException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Queue rules that are RabbitMQ's own concern: partial declares, ordered queues' attempts and
 * bounds, message TTL across retries, foreign messages in dead-letter queues, failed connects.
 */
class RabbitMqQueueRulesTest {
  private RabbitMqBroker broker;
  private Connection plain;
  private String q;

  @BeforeEach
  void open() throws Exception {
    broker =
        RabbitMqBroker.connect(
            RabbitMqTestSupport.config().connectionName("jqueue-test-rules").build());
    plain = RabbitMqPublishingTest.plainConnection();
    q = "rules-" + System.nanoTime();
  }

  @AfterEach
  void close() throws Exception {
    broker.close(Duration.ofSeconds(2));
    Channel ch = plain.createChannel();
    for (String name : List.of(q, q + ".dlq", q + ":retry", q + ":expired")) {
      ch.queueDelete(name);
    }
    for (int i = 0; i < 4; i++) {
      ch.queueDelete(q + ":p" + i);
    }
    plain.close();
  }

  private long consumers(String queue) throws Exception {
    Channel ch = plain.createChannel();
    try {
      return ch.queueDeclarePassive(queue).getConsumerCount();
    } finally {
      ch.close();
    }
  }

  @Test
  @DisplayName("a declareQueue that fails half-way leaves no consumer behind")
  void failedDeclareLeavesNothing() throws Exception {
    Channel ch = plain.createChannel();
    ch.queueDeclare(q + ":retry", true, false, false, Map.of("x-max-length", 5)); // a clash
    QueueSpec spec = QueueSpec.builder(q).build();
    assertThatThrownBy(() -> broker.declareQueue(spec))
        .isInstanceOf(TopologyConflictException.class);
    assertThatThrownBy(() -> broker.declareQueue(spec))
        .isInstanceOf(TopologyConflictException.class);
    assertThat(broker.queues()).doesNotContain(q);
    assertThat(consumers(q + ":expired"))
        .as("consumers left on %s:expired after two failed declares", q)
        .isZero();
  }

  @Test
  @DisplayName(
      "an ordered queue keeps counting attempts when its consumer changes during a backoff")
  void orderedAttemptsSurviveConsumerChange() throws Exception {
    broker.declareQueue(
        QueueSpec.builder(q)
            .ordered(true)
            .maxRetries(3)
            .backoff(Backoff.fixed(Duration.ofSeconds(2)))
            .build());
    broker.publisher().publish(Message.builder().topic(q).key("k").text("x").build());
    List<Integer> seen = new CopyOnWriteArrayList<>();
    Subscription first =
        broker.subscribe(
            q,
            ConsumerOptions.builder().id("a").build(),
            d -> {
              seen.add(d.attempt());
              throw new IllegalStateException("fails");
            });
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    first.close(Duration.ofSeconds(2)); // e.g. a rolling deploy, during the 2 s backoff
    broker.subscribe(
        q,
        ConsumerOptions.builder().id("b").build(),
        d -> {
          seen.add(d.attempt());
          throw new IllegalStateException("fails");
        });
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> broker.deadLetters(q).count() == 1);
    assertThat(seen).as("attempts handled, maxRetries=3").containsExactly(1, 2, 3);
  }

  @Test
  @DisplayName("a message's own TTL still holds after a retry: it is dead-lettered EXPIRED")
  void messageTtlSurvivesRetry() {
    broker.declareQueue(QueueSpec.builder(q).maxRetries(5).backoff(Backoff.none()).build());
    broker
        .publisher()
        .publish(Message.builder().topic(q).text("x").ttl(Duration.ofMillis(1500)).build());
    List<Delivery> got = broker.receive(q, 1, Duration.ofSeconds(2));
    assertThat(got).hasSize(1);

    got.get(0).fail(new IllegalStateException("first attempt fails"));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> broker.deadLetters(q).count() == 1);
    assertThat(broker.deadLetters(q).peek(1).get(0).reason())
        .isEqualTo(io.jqueue.DeadLetterReason.EXPIRED);
    assertThat(broker.receive(q, 1, Duration.ZERO)).isEmpty();
  }

  @Test
  @DisplayName("an ordered queue's maxSize is exact: it must divide over the partitions")
  void orderedMaxSizeIsExact() {
    assertThatThrownBy(
            () -> broker.declareQueue(QueueSpec.builder(q).ordered(true).maxSize(2).build()))
        .isInstanceOf(io.jqueue.ConfigurationException.class)
        .hasMessageContaining("multiple of orderedPartitions");
    broker.declareQueue(QueueSpec.builder(q).ordered(true).maxSize(8).build());
    io.jqueue.Publisher pub = broker.publisher();
    int accepted = 0;
    for (int i = 0; i < 40; i++) {
      try {
        // keys chosen so every partition fills: the whole queue holds at most maxSize
        pub.publish(Message.builder().topic(q).key("k" + i).text("m" + i).build());
        accepted++;
      } catch (io.jqueue.QueueFullException e) {
        // expected once the partitions are full
      }
    }
    assertThat(accepted).as("messages accepted by an ordered queue with maxSize 8").isEqualTo(8);
  }

  @Test
  @DisplayName("a message put into a DLQ by another client is peeked as REJECTED, not an error")
  void peekToleratesForeignDeadLetters() throws Exception {
    broker.declareQueue(QueueSpec.builder(q).build());
    Channel ch = plain.createChannel();
    ch.basicPublish("", q + ".dlq", null, "moved here by an operator".getBytes());
    Awaitility.await().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(broker.deadLetters(q).peek(10)).hasSize(1);
  }

  @Test
  @DisplayName("a dead letter keeps the original's reply-to, correlation id, encoding and headers")
  void deadLetterKeepsAmqpProperties() throws Exception {
    broker.declareQueue(QueueSpec.builder(q).maxRetries(1).build());
    Channel ch = plain.createChannel();
    com.rabbitmq.client.AMQP.BasicProperties props =
        new com.rabbitmq.client.AMQP.BasicProperties.Builder()
            .messageId("foreign-1")
            .correlationId("corr-1")
            .replyTo("replies")
            .contentEncoding("gzip")
            .headers(Map.of("trace", new byte[] {1, 2, 3}))
            .build();
    ch.basicPublish("", q, props, "x".getBytes());
    List<Delivery> got = broker.receive(q, 1, Duration.ofSeconds(2));
    got.get(0).fail(new IllegalStateException("no"));
    Awaitility.await().until(() -> broker.deadLetters(q).count() == 1);
    com.rabbitmq.client.GetResponse r = ch.basicGet(q + ".dlq", true);
    assertThat(r.getProps().getCorrelationId()).isEqualTo("corr-1");
    assertThat(r.getProps().getReplyTo()).isEqualTo("replies");
    assertThat(r.getProps().getContentEncoding()).isEqualTo("gzip");
    assertThat(r.getProps().getHeaders()).containsKey("trace");
  }

  @Test
  @DisplayName("a connect that fails after connecting leaves no connection or thread behind")
  void failedConnectLeavesNothing() throws Exception {
    String ex = q + "-ex";
    Channel ch = plain.createChannel();
    ch.exchangeDeclare(ex, "fanout", true); // jqueue declares its exchange 'direct': 406
    long threadsBefore = threads("jqueue-rabbitmq-");
    try {
      assertThatThrownBy(
              () ->
                  RabbitMqBroker.connect(
                      RabbitMqTestSupport.config()
                          .connectionName("jqueue-test-leak")
                          .exchange(ex)
                          .build()))
          .isInstanceOf(TopologyConflictException.class);

      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(serverConnectionsNamed("jqueue-test-leak")).isZero();
                assertThat(threads("jqueue-rabbitmq-")).isLessThanOrEqualTo(threadsBefore);
              });
    } finally {
      ch.exchangeDelete(ex);
    }
  }

  /** Connections RabbitMQ lists with this client-given name (rabbitmqctl, 3.10 and later). */
  private static long serverConnectionsNamed(String name) throws Exception {
    Process p =
        new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "client_properties")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("rabbitmqctl list_connections: %s", out).isZero();
    return out.lines().filter(l -> l.contains("\"" + name)).count();
  }

  private static long threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
        .count();
  }
}
