package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.Broker;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's quick start, kept compiling and working. */
class ReadmeQuickStartTest {
  record Order(String id, int amountCents) {}

  private final List<Order> processed = new CopyOnWriteArrayList<>();

  private void process(Order order) {
    if (order.amountCents() < 0) {
      throw new IllegalArgumentException("negative amount");
    }
    processed.add(order);
  }

  @Test
  @DisplayName("the README quick start publishes, consumes and dead-letters as it says")
  void quickStart() {
    try (Broker broker = EmbeddedBroker.create()) {
      broker.declareQueue(
          QueueSpec.builder("orders")
              .maxSize(100)
              .maxRetries(3)
              .visibilityTimeout(Duration.ofSeconds(30))
              .messageTtl(Duration.ofMinutes(5))
              .backoff(
                  Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMinutes(5))
                      .withJitter())
              .build());

      broker.subscribe(
          "orders",
          ConsumerOptions.builder().id("order-processor").concurrency(3).build(),
          delivery -> process(delivery.data(Order.class)));

      Publisher publisher = broker.publisher();
      publisher.publish(Message.builder().topic("orders").data(new Order("o-1", 4200)).build());
      publisher.publish(Message.builder().topic("orders").data(new Order("o-2", -1)).build());

      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> broker.deadLetters("orders").count() == 1);
      assertThat(processed).containsExactly(new Order("o-1", 4200));
      DeadLetter dead = broker.deadLetters("orders").peek(10).get(0);
      assertThat(dead.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
      assertThat(dead.errorMessage()).isEqualTo("negative amount");
      assertThat(dead.attempts()).isEqualTo(3);
    }
  }
}
