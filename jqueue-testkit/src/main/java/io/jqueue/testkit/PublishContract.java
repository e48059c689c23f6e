package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BatchResult;
import io.jqueue.BrokerClosedException;
import io.jqueue.Capability;
import io.jqueue.Delivery;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.Message;
import io.jqueue.MessageLimits;
import io.jqueue.MessageTooLargeException;
import io.jqueue.OverflowPolicy;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueFullException;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §3 publishing and §4 publish rules, with the §2/§9 bad inputs that apply. */
public abstract class PublishContract extends ContractSupport {

  @Test
  @DisplayName(
      "broker.publisher() is one shared publisher: the same instance on every call, and closing it"
          + " changes nothing")
  void sharedDefaultPublisher() {
    String q = declare(queue("orders"));
    io.jqueue.Publisher first = broker.publisher();

    for (int i = 0; i < 100; i++) {
      assertThat(broker.publisher()).isSameAs(first);
    }
    first.close();
    broker.publisher().publish(text(q, "after close"));
    broker.publisher().publishAsync(text(q, "async")).join();

    assertThat(broker.stats(q).size()).isEqualTo(2);
  }

  @Test
  @DisplayName("publish returns a receipt only once the queue holds the message")
  void publishIsConfirmed() {
    String q = declare(queue("orders"));
    Message m = text(q, "hello");

    PublishReceipt receipt = publisher.publish(m);

    assertThat(receipt.messageId()).isEqualTo(m.id());
    assertThat(receipt.destination()).isEqualTo(q);
    assertThat(broker.stats(q).ready()).isEqualTo(1);
    List<Delivery> got = broker.receive(q, 1, Duration.ofSeconds(5));
    assertThat(got).hasSize(1);
    assertThat(got.get(0).message().id()).isEqualTo(m.id());
    assertThat(got.get(0).text()).isEqualTo("hello");
  }

  @Test
  @DisplayName("the message's id, action, key, headers and content type arrive unchanged")
  void messageFieldsRoundTrip() {
    String q = declare(queue("orders"));
    Message m =
        Message.builder()
            .topic(q)
            .action("order.created")
            .key("customer-7")
            .header("tenant", "acme")
            .header("trace", "abc")
            .data(Map.of("total", 42))
            .build();

    publisher.publish(m);

    Message got = broker.receive(q, 1, Duration.ofSeconds(5)).get(0).message();
    assertThat(got.id()).isEqualTo(m.id());
    assertThat(got.action()).isEqualTo("order.created");
    assertThat(got.key()).contains("customer-7");
    assertThat(got.headers()).containsEntry("tenant", "acme").containsEntry("trace", "abc");
    assertThat(got.contentType()).isEqualTo("application/json");
    assertThat(got.text()).isEqualTo("{\"total\":42}");
  }

  @Test
  @DisplayName("publishing to a queue that does not exist is DestinationNotFoundException")
  void missingDestination() {
    String q = declare(queue("orders"));
    publisher.publish(text(q, "other"));

    assertThatThrownBy(() -> publisher.publish(text(uniqueName("nowhere"), "lost?")))
        .isInstanceOf(DestinationNotFoundException.class)
        .hasMessageContaining("declare it first");

    assertThat(broker.stats(q).ready()).isEqualTo(1);
    publisher.publish(text(q, "after"));
    assertThat(broker.stats(q).ready()).isEqualTo(2);
  }

  @Test
  @DisplayName("a message without a topic is a ValidationException")
  void missingTopic() {
    Message noTopic = Message.builder().text("where to?").build();

    assertThatThrownBy(() -> publisher.publish(noTopic))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("no topic");
  }

  @Test
  @DisplayName("an oversized payload is MessageTooLargeException and nothing is sent")
  void oversizedPayload() {
    String q = declare(queue("orders"));
    Publisher small =
        broker.publisher(
            PublisherOptions.builder()
                .limits(MessageLimits.defaults().withMaxPayloadBytes(1000))
                .build());

    assertThatThrownBy(
            () -> small.publish(Message.builder().topic(q).payload(new byte[1001]).build()))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("1001 bytes");
    assertThatThrownBy(
            () ->
                publisher.publish(
                    Message.builder()
                        .topic(q)
                        .payload(new byte[MessageLimits.DEFAULT_MAX_PAYLOAD_BYTES + 1])
                        .build()))
        .isInstanceOf(MessageTooLargeException.class);

    assertThat(broker.stats(q).published()).isZero();
    small.publish(Message.builder().topic(q).payload(new byte[1000]).build());
    assertThat(broker.stats(q).ready()).isEqualTo(1);
  }

  @Test
  @DisplayName("more headers than the limit is a ValidationException and nothing is sent")
  void tooManyHeaders() {
    String q = declare(queue("orders"));
    Message.Builder b = Message.builder().topic(q).text("x");
    for (int i = 0; i <= MessageLimits.DEFAULT_MAX_HEADERS; i++) {
      b.header("h" + i, "v");
    }

    assertThatThrownBy(() -> publisher.publish(b.build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("201 headers");
    assertThat(broker.stats(q).ready()).isZero();
  }

  @Test
  @DisplayName("a full queue rejects with QueueFullException and loses nothing")
  void fullQueueRejects() {
    String q = declare(queue("orders").maxSize(5));
    publishTexts(q, "m", 5);

    assertThatThrownBy(() -> publisher.publish(text(q, "overflow")))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("is full");

    assertThat(broker.stats(q).ready()).isEqualTo(5);
    List<Delivery> all = broker.receive(q, 10, Duration.ofSeconds(5));
    assertThat(all).extracting(Delivery::text).containsExactly("m-0", "m-1", "m-2", "m-3", "m-4");
    all.forEach(Delivery::ack);
    publisher.publish(text(q, "room again"));
    assertThat(broker.stats(q).ready()).isEqualTo(1);
  }

  @Test
  @DisplayName("with BLOCK overflow a publish to a full queue waits for room")
  void blockWaitsForRoom() throws Exception {
    assumeSupports(Capability.OVERFLOW_BLOCK);
    String q = declare(queue("orders").maxSize(1).overflow(OverflowPolicy.BLOCK));
    publisher.publish(text(q, "first"));

    CompletableFuture<PublishReceipt> second =
        CompletableFuture.supplyAsync(
            () -> publisher.publish(text(q, "second"), Duration.ofSeconds(10)));
    // it stays blocked while the queue is full
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !second.isDone());

    broker.receive(q, 1, Duration.ofSeconds(5)).get(0).ack();

    assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS).destination()).isEqualTo(q);
    assertThat(broker.receive(q, 1, Duration.ofSeconds(5)))
        .extracting(Delivery::text)
        .containsExactly("second");
  }

  @Test
  @DisplayName("with BLOCK overflow a publish that finds no room in time times out")
  void blockTimesOut() {
    assumeSupports(Capability.OVERFLOW_BLOCK);
    String q = declare(queue("orders").maxSize(1).overflow(OverflowPolicy.BLOCK));
    publisher.publish(text(q, "first"));
    Instant start = Instant.now();

    assertThatThrownBy(() -> publisher.publish(text(q, "second"), Duration.ofMillis(300)))
        .isInstanceOf(PublishTimeoutException.class)
        .hasCauseInstanceOf(QueueFullException.class);

    assertThat(Duration.between(start, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
    assertThat(broker.stats(q).ready()).isEqualTo(1);
  }

  @Test
  @DisplayName("publishAsync completes with the receipt, or exceptionally with the typed error")
  void publishAsync() {
    String q = declare(queue("orders").maxSize(1));

    PublishReceipt ok = publisher.publishAsync(text(q, "async")).join();
    CompletableFuture<PublishReceipt> full = publisher.publishAsync(text(q, "full"));

    assertThat(ok.destination()).isEqualTo(q);
    assertThatThrownBy(full::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(QueueFullException.class);
  }

  @Test
  @DisplayName("publishAll reports each message's outcome and a bad one fails alone")
  void publishAll() {
    String q = declare(queue("orders"));
    List<Message> batch =
        List.of(
            text(q, "a"),
            Message.builder().text("no topic").build(),
            text(uniqueName("missing"), "b"),
            text(q, "c"));

    BatchResult result = publisher.publishAll(batch);

    assertThat(result.allSucceeded()).isFalse();
    assertThat(result.outcomes()).hasSize(4);
    assertThat(result.outcomes().get(0).succeeded()).isTrue();
    assertThat(result.outcomes().get(1).error()).isInstanceOf(ValidationException.class);
    assertThat(result.outcomes().get(2).error()).isInstanceOf(DestinationNotFoundException.class);
    assertThat(result.outcomes().get(3).succeeded()).isTrue();
    assertThat(broker.receive(q, 10, Duration.ofSeconds(5)))
        .extracting(Delivery::text)
        .containsExactly("a", "c");
  }

  @Test
  @DisplayName("default headers are added to messages that do not set them")
  void defaultHeaders() {
    String q = declare(queue("orders"));
    Publisher p =
        broker.publisher(
            PublisherOptions.builder()
                .defaultHeaders(Map.of("service", "users", "version", "1"))
                .build());

    p.publish(Message.builder().topic(q).text("x").header("version", "2").build());

    Message got = broker.receive(q, 1, Duration.ofSeconds(5)).get(0).message();
    assertThat(got.headers()).containsEntry("service", "users").containsEntry("version", "2");
  }

  @Test
  @DisplayName("a closed publisher refuses with BrokerClosedException")
  void closedPublisher() {
    String q = declare(queue("orders"));
    Publisher p = broker.publisher(PublisherOptions.defaults()); // its own; the shared one stays
    p.close();
    p.close(); // idempotent

    assertThatThrownBy(() -> p.publish(text(q, "late"))).isInstanceOf(BrokerClosedException.class);
    assertThat(p.publishAsync(text(q, "late")))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withCauseInstanceOf(BrokerClosedException.class);
    assertThat(broker.stats(q).ready()).isZero();
  }
}
