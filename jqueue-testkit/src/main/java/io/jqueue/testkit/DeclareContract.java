package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Delivery;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.QueueFullException;
import io.jqueue.QueueSpec;
import io.jqueue.TopologyConflictException;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 declare rules and §2 name rules. */
public abstract class DeclareContract extends ContractSupport {

  @Test
  @DisplayName("redeclaring an equal spec is a no-op that keeps the queue's messages")
  void redeclareEqualSpec() {
    QueueSpec spec = queue("orders").maxSize(10).maxRetries(3).build();
    String q = declare(spec);
    publisher.publish(text(q, "kept"));

    broker.declareQueue(QueueSpec.builder(q).maxSize(10).maxRetries(3).build());

    assertThat(broker.stats(q).ready()).isEqualTo(1);
    assertThat(broker.receive(q, 1, Duration.ofSeconds(5)))
        .extracting(Delivery::text)
        .containsExactly("kept");
  }

  @Test
  @DisplayName("a different spec for an existing name is a TopologyConflictException")
  void redeclareDifferentSpec() {
    String q = declare(queue("orders").maxSize(1));
    publisher.publish(text(q, "first"));

    assertThatThrownBy(() -> broker.declareQueue(QueueSpec.builder(q).maxSize(50).build()))
        .isInstanceOf(TopologyConflictException.class)
        .hasMessageContaining("maxSize: 1 -> 50");

    // the existing queue was not changed: still bounded at 1, its message still there
    assertThatThrownBy(() -> publisher.publish(text(q, "second")))
        .isInstanceOf(QueueFullException.class);
    assertThat(broker.stats(q).ready()).isEqualTo(1);
  }

  @Test
  @DisplayName("every queue gets a dead-letter queue named <queue>.dlq")
  void deadLetterQueueDeclared() {
    String q = declare(queue("orders"));

    assertThat(broker.deadLetters(q).queue()).isEqualTo(q + ".dlq");
    assertThat(broker.stats(q + ".dlq").ready()).isZero();
    assertThat(broker.queues()).contains(q);
  }

  @Test
  @DisplayName("invalid queue names are refused with a ValidationException naming the problem")
  void invalidNames() {
    assertThatThrownBy(() -> QueueSpec.builder("has space"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("position 3");
    assertThatThrownBy(() -> QueueSpec.builder("")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> QueueSpec.builder("x".repeat(256)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("255");
    assertThatThrownBy(() -> QueueSpec.builder("orders/eu"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> QueueSpec.builder("mine.dlq"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("reserved");
  }

  @Test
  @DisplayName("deleting a queue removes it and its messages; it no longer takes publishes")
  void deleteQueue() {
    String q = uniqueName("orders");
    broker.declareQueue(QueueSpec.builder(q).build());
    publisher.publish(text(q, "gone"));

    assertThat(broker.deleteQueue(q)).isTrue();

    assertThat(broker.queues()).doesNotContain(q);
    assertThatThrownBy(() -> publisher.publish(text(q, "late")))
        .isInstanceOf(DestinationNotFoundException.class);
    assertThat(broker.deleteQueue(q)).isFalse();
    broker.declareQueue(QueueSpec.builder(q).build());
    assertThat(broker.receive(q, 1, Duration.ZERO)).isEqualTo(List.of());
    broker.deleteQueue(q);
  }
}
