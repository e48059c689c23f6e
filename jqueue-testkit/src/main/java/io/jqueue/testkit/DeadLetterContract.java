package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Capability;
import io.jqueue.CodecException;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.codec.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 dead-letter queue: reasons, poison messages, peek, redrive, purge, bounds. */
public abstract class DeadLetterContract extends ContractSupport {

  /** A payload type the poison message cannot be decoded as. */
  public record Order(String id, int amount) {}

  @Test
  @DisplayName("deadLetter(reason) moves the message to the DLQ at once, handled once")
  void explicitDeadLetter() {
    String q = declare(queue("payments").maxRetries(5));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          d.deadLetter("card declined");
        });

    publisher.publish(text(q, "order-9"));

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(seen.count()).isOne();
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.REJECTED);
    assertThat(dead.errorMessage()).isEqualTo("card declined");
    assertThat(dead.attempts()).isEqualTo(1);
    assertThat(broker.stats(q).acked()).isZero();
  }

  @Test
  @DisplayName(
      "an undecodable payload is dead-lettered with DECODE_ERROR after one attempt; other"
          + " messages are unaffected")
  void poisonMessage() {
    String q = declare(queue("orders").maxRetries(5));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          d.data(Order.class);
        });

    publisher.publish(Message.builder().topic(q).data(new Order("good-1", 1)).build());
    publisher.publish(
        Message.builder()
            .topic(q)
            .payload("{not json".getBytes(StandardCharsets.UTF_8), JsonCodec.CONTENT_TYPE)
            .build());
    publisher.publish(Message.builder().topic(q).data(new Order("good-2", 2)).build());

    eventually().until(() -> broker.deadLetters(q).count() == 1 && broker.stats(q).acked() == 2);
    assertThat(seen.countsByText()).allSatisfy((text, n) -> assertThat(n).isOne());
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.DECODE_ERROR);
    assertThat(dead.errorClass()).isEqualTo(CodecException.class.getName());
    assertThat(dead.attempts()).isEqualTo(1);
    assertThat(dead.message().text()).isEqualTo("{not json");
  }

  @Test
  @DisplayName("a JSON null body decoded as a type is a poison message (DECODE_ERROR), never null")
  void jsonNullIsPoison() {
    String q = declare(queue("orders").maxRetries(5));
    Recorder seen = new Recorder();
    java.util.List<Object> decoded = new java.util.concurrent.CopyOnWriteArrayList<>();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          decoded.add(java.util.Objects.requireNonNullElse(d.data(Order.class), "null"));
        });

    publisher.publish(
        Message.builder()
            .topic(q)
            .payload("null".getBytes(StandardCharsets.UTF_8), JsonCodec.CONTENT_TYPE)
            .build());

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(seen.count()).isOne();
    assertThat(decoded).isEmpty();
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.DECODE_ERROR);
    assertThat(dead.errorClass()).isEqualTo(CodecException.class.getName());
  }

  @Test
  @DisplayName("peek shows dead letters oldest first without removing them")
  void peek() {
    String q = declare(queue("orders").maxRetries(1));
    deadLetterTexts(q, "a", "b", "c");

    List<DeadLetter> first = broker.deadLetters(q).peek(2);

    assertThat(first).extracting(d -> d.message().text()).containsExactly("a", "b");
    // nothing was removed (some brokers, like RabbitMQ's quorum queues, count returns a moment
    // late)
    eventually().until(() -> broker.deadLetters(q).count() == 3);
    assertThat(broker.deadLetters(q).peek(10))
        .extracting(d -> d.message().text())
        .containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  @DisplayName("redrive moves dead letters back to the queue with attempts reset")
  void redrive() {
    String q = declare(queue("orders").maxRetries(1));
    deadLetterTexts(q, "a", "b");

    long moved = broker.deadLetters(q).redrive();

    assertThat(moved).isEqualTo(2);
    assertThat(broker.deadLetters(q).count()).isZero();
    List<Delivery> back = broker.receive(q, 10, Duration.ofSeconds(5));
    assertThat(back).extracting(Delivery::text).containsExactly("a", "b");
    assertThat(back).allSatisfy(d -> assertThat(d.attempt()).isOne());
    assertThat(back.get(0).message().headers()).doesNotContainKey(JQueueHeaders.DLQ_REASON);
    back.forEach(Delivery::ack);
  }

  @Test
  @DisplayName("redrive stops when the queue is full; the rest stays in the DLQ")
  void redriveIntoFullQueue() {
    String q = declare(queue("orders").maxRetries(1).maxSize(2));
    deadLetterTexts(q, "a", "b", "c");

    long moved = broker.deadLetters(q).redrive();

    assertThat(moved).isEqualTo(2);
    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(broker.deadLetters(q).peek(1).get(0).message().text()).isEqualTo("c");
    assertThat(broker.stats(q).ready()).isEqualTo(2);
  }

  @Test
  @DisplayName("purge deletes dead letters and says how many")
  void purge() {
    String q = declare(queue("orders").maxRetries(1));
    deadLetterTexts(q, "a", "b");

    assertThat(broker.deadLetters(q).purge()).isEqualTo(2);

    assertThat(broker.deadLetters(q).count()).isZero();
    assertThat(broker.stats(q).dlqDepth()).isZero();
  }

  @Test
  @DisplayName("the DLQ is a real queue: it can be consumed with the dead-letter headers")
  void subscribeToDeadLetterQueue() {
    String q = declare(queue("orders").maxRetries(1));
    deadLetterTexts(q, "a");
    Recorder seen = new Recorder();

    broker.subscribe(q + ".dlq", seen::record);

    eventually().until(() -> seen.count() == 1);
    Message got = seen.all().get(0).delivery().message();
    assertThat(got.text()).isEqualTo("a");
    assertThat(got.headers()).containsEntry(JQueueHeaders.DLQ_REASON, "MAX_RETRIES");
    eventually().until(() -> broker.deadLetters(q).count() == 0);
  }

  @Test
  @DisplayName("a bounded DLQ drops its oldest dead letter and counts it")
  void boundedDeadLetterQueue() {
    assumeSupports(Capability.BOUNDED_DEAD_LETTER_QUEUES);
    String q = declare(queue("orders").maxRetries(1).deadLetterMaxSize(2));

    deadLetterTexts(q, "a", "b", "c");

    assertThat(broker.deadLetters(q).peek(10))
        .extracting(d -> d.message().text())
        .containsExactly("b", "c");
    assertThat(broker.stats(q + ".dlq").dropped()).isEqualTo(1);
  }

  /** Publishes the texts to {@code q} (maxRetries 1) and fails each once, in order. */
  private void deadLetterTexts(String q, String... texts) {
    long before = broker.stats(q).deadLettered();
    for (String t : texts) {
      publisher.publish(text(q, t));
      Delivery d = broker.receive(q, 1, Duration.ofSeconds(5)).get(0);
      d.fail(new IllegalStateException("failed " + t));
    }
    eventually().until(() -> broker.stats(q).deadLettered() == before + texts.length);
  }
}
