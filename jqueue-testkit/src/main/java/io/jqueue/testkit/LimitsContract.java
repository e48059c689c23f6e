package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Backoff;
import io.jqueue.DeadLetter;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.MessageLimits;
import io.jqueue.MessageTooLargeException;
import io.jqueue.PublishReceipt;
import io.jqueue.QueueSpec;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SPEC §2 and §9: the limits every broker enforces identically before anything is sent, names and
 * headers that must arrive unchanged, and durations at the edge of what Java can hold, which must
 * saturate or be refused at the call, never overflow half-way and leave state behind.
 */
public abstract class LimitsContract extends ContractSupport {

  @Test
  @DisplayName(
      "headers over maxHeaderBytes are a MessageTooLargeException naming the limit, nothing is"
          + " enqueued and later publishes work")
  void headerBytesLimit() {
    String q = declare(queue("limits"));
    Message big = Message.builder().topic(q).text("x").header("blob", "v".repeat(200_000)).build();

    assertThatThrownBy(() -> publisher.publish(big))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("maxHeaderBytes")
        .hasMessageContaining(Integer.toString(MessageLimits.DEFAULT_MAX_HEADER_BYTES));

    publisher.publish(text(q, "after"));
    assertThat(broker.stats(q).size()).isEqualTo(1);
    List<Delivery> got = broker.receive(q, 10, Duration.ofSeconds(5));
    assertThat(got).extracting(Delivery::text).containsExactly("after");
    got.forEach(Delivery::ack);
  }

  @Test
  @DisplayName("headers just within maxHeaderBytes are carried whole")
  void headersWithinLimitArrive() {
    String q = declare(queue("limits"));
    // 4 headers whose encoded size is exactly the default limit
    int each = MessageLimits.DEFAULT_MAX_HEADER_BYTES / 4 - MessageLimits.HEADER_OVERHEAD_BYTES - 2;
    Message.Builder b = Message.builder().topic(q).text("fits");
    for (int i = 0; i < 4; i++) {
      b.header("h" + i, Character.toString('a' + i).repeat(each));
    }
    Message m = b.build();

    publisher.publish(m);

    List<Delivery> got = broker.receive(q, 1, Duration.ofSeconds(5));
    assertThat(got).hasSize(1);
    assertThat(got.get(0).message().headers()).containsAllEntriesOf(m.headers());
    got.get(0).ack();
  }

  @Test
  @DisplayName(
      "an id, action, key or content type over 255 bytes is a ValidationException naming the"
          + " field and the limit; nothing is sent")
  void identifierLimits() {
    String q = declare(queue("limits"));
    String longText = "é".repeat(150); // 150 characters, 300 bytes of UTF-8
    List<Message> refused =
        List.of(
            Message.builder().topic(q).id("i".repeat(300)).text("x").build(),
            Message.builder().topic(q).action(longText).text("x").build(),
            Message.builder().topic(q).key(longText).text("x").build(),
            Message.builder().topic(q).payload(new byte[1], "application/" + longText).build());
    List<String> fields = List.of("id", "action", "key", "content type");

    for (int i = 0; i < refused.size(); i++) {
      Message m = refused.get(i);
      assertThatThrownBy(() -> publisher.publish(m))
          .as(fields.get(i))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("the " + fields.get(i) + " of message")
          .hasMessageContaining("maxIdentifierBytes");
    }
    assertThat(broker.stats(q).size()).isZero();

    Message atLimit =
        Message.builder().topic(q).id("i".repeat(255)).key("k".repeat(255)).text("ok").build();
    publisher.publish(atLimit);
    List<Delivery> got = broker.receive(q, 1, Duration.ofSeconds(5));
    assertThat(got).hasSize(1);
    assertThat(got.get(0).message().id()).isEqualTo(atLimit.id());
    assertThat(got.get(0).message().key()).isEqualTo(atLimit.key());
    got.get(0).ack();
  }

  @Test
  @DisplayName(
      "a TTL or expiry further than 2^32-1 ms away is refused on every broker, so no broker caps"
          + " it silently")
  void ttlBeyondWhatEveryBrokerHolds() {
    String q = declare(queue("ttl"));
    assertThatThrownBy(() -> Message.builder().ttl(Duration.ofDays(365)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("49 days");
    Message farAway =
        Message.builder()
            .topic(q)
            .text("x")
            .expiresAt(java.time.Instant.now().plus(Duration.ofDays(365)))
            .build();
    assertThatThrownBy(() -> publisher.publish(farAway))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("49 days");
    assertThat(broker.stats(q).size()).isZero();

    publisher.publish(Message.builder().topic(q).text("ok").ttl(QueueSpec.MAX_MESSAGE_TTL).build());
    assertThat(broker.stats(q).size()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a user header named x-... arrives unchanged, on every retry and in the dead-letter copy")
  void xHeadersAreCarried() {
    String q = declare(queue("headers").maxRetries(2).backoff(Backoff.fixed(Duration.ZERO)));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          throw new IllegalStateException("fail attempt " + d.attempt());
        });

    publisher.publish(
        Message.builder()
            .topic(q)
            .text("x")
            .header("x-request-id", "r-42")
            .header("X-Tenant", "acme")
            .build());

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(seen.all()).hasSize(2);
    for (Recorder.Seen s : seen.all()) {
      assertThat(s.delivery().message().headers())
          .containsEntry("x-request-id", "r-42")
          .containsEntry("X-Tenant", "acme");
    }
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.message().headers())
        .containsEntry("x-request-id", "r-42")
        .containsEntry("X-Tenant", "acme");
  }

  @Test
  @DisplayName("header names RabbitMQ writes itself (x-death, ...) are refused on every broker")
  void brokerHeaderNamesRefused() {
    for (String name : List.of("x-death", "x-first-death-queue", "x-delivery-count")) {
      assertThatThrownBy(() -> Message.builder().header(name, "1"))
          .as(name)
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining(name);
    }
    assertThatThrownBy(() -> Message.builder().header("h".repeat(256), "1"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("255");
  }

  @Test
  @DisplayName("queue names starting with amq. are refused with a ValidationException")
  void reservedQueueNames() {
    assertThatThrownBy(() -> broker.declareQueue(QueueSpec.builder("amq.orders").build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("amq.");
    assertThat(broker.queues()).doesNotContain("amq.orders");
  }

  @Test
  @DisplayName(
      "receive with a wait of Long.MAX_VALUE seconds waits for the next message and leaves no"
          + " waiter behind")
  void receiveWithHugeWait() throws Exception {
    String q = declare(queue("pull"));
    CompletableFuture<List<Delivery>> pulled = new CompletableFuture<>();
    Thread puller =
        new Thread(
            () -> {
              try {
                pulled.complete(broker.receive(q, 5, Duration.ofSeconds(Long.MAX_VALUE)));
              } catch (Throwable e) {
                pulled.completeExceptionally(e);
              }
            },
            "huge-wait-puller");
    puller.setDaemon(true);
    puller.start();
    // publish only once the receive waits (or has already failed), or it would not wait at all
    eventually()
        .until(
            () ->
                pulled.isDone()
                    || puller.getState() == Thread.State.WAITING
                    || puller.getState() == Thread.State.TIMED_WAITING);

    PublishReceipt first = publisher.publish(text(q, "first"));
    List<Delivery> got = pulled.get(15, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(got).extracting(d -> d.message().id()).containsExactly(first.messageId());
    assertThat(got.get(0).attempt()).isEqualTo(1);
    got.get(0).ack();

    // the waiter is gone: the next message goes to a consumer and is handled on attempt 1
    Recorder seen = new Recorder();
    broker.subscribe(q, seen::record);
    publisher.publish(text(q, "second"));
    eventually().until(() -> seen.count() == 1);
    assertThat(seen.all().get(0).attempt()).isEqualTo(1);
    assertThat(broker.deadLetters(q).count()).isZero();
  }

  @Test
  @DisplayName(
      "retry(Duration.ofSeconds(Long.MAX_VALUE)) is refused at the call; the message is retried"
          + " after the queue's backoff and never stuck")
  void retryWithHugeDelay() {
    String q = declare(queue("retry").maxRetries(3).backoff(Backoff.fixed(Duration.ofMillis(20))));
    ConcurrentLinkedQueue<Throwable> refused = new ConcurrentLinkedQueue<>();
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          if (d.attempt() == 1) {
            try {
              d.retry(Duration.ofSeconds(Long.MAX_VALUE));
            } catch (ValidationException e) {
              refused.add(e);
              throw e; // an ordinary failure: retried after the backoff
            }
          }
        });

    publisher.publish(text(q, "m"));

    eventually().until(() -> seen.count() == 2 && broker.stats(q).acked() == 1);
    assertThat(refused).singleElement().isInstanceOf(ValidationException.class);
    assertThat(seen.all()).extracting(Recorder.Seen::attempt).containsExactly(1, 2);
    assertThat(broker.stats(q).size()).isZero();
  }

  @Test
  @DisplayName("publish and close with a timeout of Long.MAX_VALUE seconds work")
  void hugeTimeouts() {
    String q = declare(queue("timeouts"));
    PublishReceipt r = publisher.publish(text(q, "m"), Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(r.messageId()).isNotBlank();
    assertThat(broker.stats(q).size()).isEqualTo(1);
    broker.deleteQueue(q);
    broker.close(Duration.ofSeconds(Long.MAX_VALUE));
  }
}
