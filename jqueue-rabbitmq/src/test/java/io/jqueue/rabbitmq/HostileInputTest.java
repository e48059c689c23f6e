package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.jqueue.Backoff;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.Message;
import io.jqueue.MessageLimits;
import io.jqueue.MessageTooLargeException;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueFullException;
import io.jqueue.QueueSpec;
import io.jqueue.testkit.Recorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What arrives from the wire is untrusted: messages from plain AMQP publishers with foreign or
 * hostile jqueue headers, and publishes RabbitMQ cannot carry. None of them may be lost, looped,
 * stuck, or take another message down with it.
 */
class HostileInputTest {
  private RabbitMqBroker broker;
  private Connection plain;
  private final List<String> queues = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    broker = RabbitMqBroker.connect(RabbitMqTestSupport.config().channelPoolSize(1).build());
    plain = RabbitMqPublishingTest.plainConnection();
  }

  @AfterEach
  void close() throws Exception {
    queues.forEach(broker::deleteQueue);
    broker.close();
    plain.close();
  }

  private String declare(QueueSpec.Builder b) {
    QueueSpec spec = b.build();
    broker.declareQueue(spec);
    queues.add(spec.name());
    return spec.name();
  }

  /** Subscribes a handler to {@code q} that records each delivery and fails it. */
  private Recorder subscribeFailing(String q) {
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          throw new IllegalStateException("fails on attempt " + d.attempt());
        });
    return seen;
  }

  /** A queue that retries {@code maxRetries} times, 10 ms apart. */
  private String retrying(String base, int maxRetries) {
    return declare(
        QueueSpec.builder(unique(base))
            .maxRetries(maxRetries)
            .backoff(Backoff.fixed(Duration.ofMillis(10))));
  }

  private static String unique(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20));
  }

  private void publishPlain(String queue, AMQP.BasicProperties props, String body)
      throws Exception {
    try (Channel ch = plain.createChannel()) {
      ch.basicPublish("", queue, props, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  @DisplayName(
      "a header block RabbitMQ cannot carry fails alone; then a publish to a full queue is still"
          + " QueueFullException and 200 ordinary publishes all arrive (one pooled channel)")
  void oversizedHeaderDoesNotShiftConfirms() {
    String full = declare(QueueSpec.builder(unique("full")).maxSize(1));
    String open = declare(QueueSpec.builder(unique("open")));
    // limits raised past what a 128 KiB frame holds, so the message reaches the channel
    Publisher loose =
        broker.publisher(
            PublisherOptions.builder()
                .limits(MessageLimits.defaults().withMaxHeaderBytes(1024 * 1024))
                .build());
    loose.publish(Message.builder().topic(full).text("fills it").build());

    assertThatThrownBy(
            () ->
                loose.publish(
                    Message.builder()
                        .topic(open)
                        .text("x")
                        .header("blob", "v".repeat(200_000))
                        .build()))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("frame size");
    assertThatThrownBy(() -> loose.publish(Message.builder().topic(full).text("over").build()))
        .isInstanceOf(QueueFullException.class);
    for (int i = 0; i < 200; i++) {
      loose.publish(Message.builder().topic(open).text("m-" + i).build());
    }

    eventually().until(() -> broker.stats(open).ready() == 200);
    assertThat(broker.stats(full).ready()).isEqualTo(1);
    assertThat(broker.openPublishingChannels()).isLessThanOrEqualTo(1);
  }

  @Test
  @DisplayName(
      "a foreign message whose headers fill the frame is still retried and dead-lettered: the"
          + " copies leave its largest header out and name it, instead of being retried for ever")
  void foreignMessageNearFrameSize() throws Exception {
    String q = retrying("big", 2);
    int size = largestHeaderRabbitMqCarries(q);
    Recorder seen = subscribeFailing(q);

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(seen.all()).extracting(Recorder.Seen::attempt).containsExactly(1, 2);
    assertThat(seen.all().get(0).delivery().message().headers()).containsKey("blob");
    assertThat(seen.all().get(1).delivery().message().headers())
        .doesNotContainKey("blob")
        .containsEntry("jqueue-dropped-headers", "blob (" + (size + 4) + " bytes)");
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
    assertThat(dead.message().id()).isEqualTo("big-foreign");
  }

  /** Publishes the largest "blob" header a plain client gets through; returns its length. */
  private int largestHeaderRabbitMqCarries(String q) throws Exception {
    try (Channel ch = plain.createChannel()) {
      for (int size = 131_072; ; size -= 8) {
        try {
          ch.basicPublish(
              "",
              q,
              new AMQP.BasicProperties.Builder()
                  .messageId("big-foreign")
                  .headers(Map.of("blob", "v".repeat(size)))
                  .build(),
              "x".getBytes(StandardCharsets.UTF_8));
          return size;
        } catch (IllegalArgumentException tooBig) {
          // the client refuses before sending: try a little smaller
        }
      }
    }
  }

  @Test
  @DisplayName(
      "jqueue-attempts of Integer.MAX_VALUE or a huge long: handled once as the last attempt,"
          + " then dead-lettered; never a negative attempt, never a loop")
  void hostileAttemptCounts() throws Exception {
    String q = retrying("attempts", 3);
    Recorder seen = subscribeFailing(q);
    for (Object hostile : List.of(Integer.MAX_VALUE, Long.MAX_VALUE, -5, "NaN", "99999999999")) {
      publishPlain(
          q,
          new AMQP.BasicProperties.Builder()
              .messageId("hostile-" + hostile)
              .headers(Map.of("jqueue-attempts", hostile))
              .build(),
          "h");
    }

    eventually().until(() -> broker.deadLetters(q).count() == 5);
    assertThat(seen.all()).allSatisfy(s -> assertThat(s.attempt()).isBetween(1, 3));
    // the counts that claimed attempts beyond the last were handled exactly once
    for (String id : List.of("hostile-2147483647", "hostile-9223372036854775807")) {
      assertThat(seen.all().stream().filter(s -> s.messageId().equals(id))).hasSize(1);
    }
    // a negative or unreadable count starts from the beginning: all three attempts
    assertThat(seen.all().stream().filter(s -> s.messageId().equals("hostile-NaN"))).hasSize(3);
    assertThat(seen.all().stream().filter(s -> s.messageId().equals("hostile--5"))).hasSize(3);
    assertThat(broker.deadLetters(q).peek(10))
        .allSatisfy(d -> assertThat(d.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES));
  }

  @Test
  @DisplayName(
      "a jqueue-expires-at of Long.MIN_VALUE sends the message to the DLQ as EXPIRED, never to a"
          + " handler, instead of failing forever")
  void hostileExpiry() throws Exception {
    String q = retrying("expiry", 3);
    Recorder seen = subscribeFailing(q);

    publishPlain(
        q,
        new AMQP.BasicProperties.Builder()
            .messageId("expired-long-ago")
            .headers(Map.of("jqueue-expires-at", Long.MIN_VALUE))
            .build(),
        "e");

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.EXPIRED);
    assertThat(dead.message().id()).isEqualTo("expired-long-ago");
    assertThat(dead.attempts()).isZero();
    // expired long ago by any clock: expired at consume, as the embedded broker does
    assertThat(seen.count()).isZero();
  }

  @Test
  @DisplayName(
      "a message without a message-id keeps the id it was given on every retry and in the DLQ")
  void identityWithoutMessageId() throws Exception {
    String q = retrying("identity", 3);
    Recorder seen = subscribeFailing(q);

    publishPlain(q, new AMQP.BasicProperties.Builder().build(), "anonymous");

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(seen.all()).hasSize(3);
    String id = seen.all().get(0).messageId();
    assertThat(seen.all()).extracting(Recorder.Seen::messageId).containsOnly(id);
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.message().id()).isEqualTo(id);
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
  }

  @Test
  @DisplayName(
      "headers from plain clients arrive as documented text: tables and arrays as JSON, bytes as"
          + " Base64, x- names kept, control characters in names escaped; none dropped")
  void foreignHeaderTypes() throws Exception {
    String q = declare(QueueSpec.builder(unique("headers")));
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("a", 1);
    table.put("b", "two");
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("table", table);
    headers.put("array", List.of(1, "x", true));
    headers.put("bytes", new byte[] {1, 2, 3});
    headers.put("x-request-id", "r-7");
    headers.put("bad\u0001name", "v");
    headers.put("void", null);

    publishPlain(q, new AMQP.BasicProperties.Builder().headers(headers).build(), "h");

    List<io.jqueue.Delivery> got = new ArrayList<>();
    eventually()
        .until(
            () -> {
              got.addAll(broker.receive(q, 1, Duration.ofMillis(200)));
              return got.size() == 1;
            });
    Map<String, String> h = got.get(0).message().headers();
    assertThat(h)
        .containsEntry("table", "{\"a\":1,\"b\":\"two\"}")
        .containsEntry("array", "[1,\"x\",true]")
        .containsEntry("bytes", "AQID")
        .containsEntry("x-request-id", "r-7")
        .containsEntry("bad\\u0001name", "v")
        .containsEntry("void", "");
    got.get(0).ack();
  }
}
