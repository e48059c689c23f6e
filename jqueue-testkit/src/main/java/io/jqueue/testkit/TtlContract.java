package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Capability;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.ExpiryPolicy;
import io.jqueue.Message;
import io.jqueue.QueueStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 TTL: expiry before delivery dead-letters (or drops), counted either way. */
public abstract class TtlContract extends ContractSupport {

  @Test
  @DisplayName("a message not delivered within the queue TTL is dead-lettered with EXPIRED")
  void queueTtlDeadLetters() {
    String q = declare(queue("notifications").messageTtl(Duration.ofMillis(200)));

    publisher.publish(text(q, "too late"));

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.EXPIRED);
    assertThat(dead.attempts()).isZero();
    assertThat(dead.message().text()).isEqualTo("too late");
    QueueStats stats = broker.stats(q);
    assertThat(stats.expired()).isEqualTo(1);
    assertThat(stats.ready()).isZero();
    assertThat(broker.receive(q, 1, Duration.ZERO)).isEmpty();
  }

  @Test
  @DisplayName("with the DROP policy an expired message is dropped and counted")
  void dropPolicy() {
    String q =
        declare(
            queue("notifications")
                .messageTtl(Duration.ofMillis(200))
                .expiryPolicy(ExpiryPolicy.DROP));

    publisher.publish(text(q, "dropped"));

    eventually().until(() -> broker.stats(q).expired() == 1);
    QueueStats stats = broker.stats(q);
    assertThat(stats.dropped()).isEqualTo(1);
    assertThat(stats.ready()).isZero();
    assertThat(broker.deadLetters(q).count()).isZero();
  }

  @Test
  @DisplayName("a message consumed before its TTL is delivered normally")
  void deliveredBeforeTtl() {
    String q = declare(queue("notifications").messageTtl(Duration.ofSeconds(30)));
    publisher.publish(text(q, "in time"));

    List<Delivery> got = broker.receive(q, 1, Duration.ofSeconds(5));

    assertThat(got).extracting(Delivery::text).containsExactly("in time");
    got.get(0).ack();
    assertThat(broker.stats(q).expired()).isZero();
  }

  @Test
  @DisplayName("the earlier of the message TTL and the queue TTL wins")
  void messageTtlShorterThanQueueTtl() {
    assumeSupports(Capability.MESSAGE_TTL);
    String q = declare(queue("notifications").messageTtl(Duration.ofMinutes(5)));

    publisher.publish(Message.builder().topic(q).text("short").ttl(Duration.ofMillis(200)).build());
    publisher.publish(text(q, "long"));

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(broker.deadLetters(q).peek(1).get(0).message().text()).isEqualTo("short");
    assertThat(broker.receive(q, 5, Duration.ofSeconds(5)))
        .extracting(Delivery::text)
        .containsExactly("long");
  }
}
