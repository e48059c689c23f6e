package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A consumer that settles a message is offered the next one of its own queue first (its thread is
 * awake); never a message of another queue the same operation touched, such as the dead-letter
 * queue its failure filled.
 */
class AwakeConsumerTest {

  @Test
  void deadLetterNeverGoesToTheParentsConsumer() {
    try (EmbeddedBroker broker = EmbeddedBroker.create()) {
      broker.declareQueue(QueueSpec.builder("awake").maxRetries(1).build());
      List<String> seen = new CopyOnWriteArrayList<>();
      broker.subscribe(
          "awake",
          ConsumerOptions.builder().prefetch(5).build(),
          d -> {
            seen.add(d.message().text());
            if (d.message().text().startsWith("bad")) {
              throw new IllegalStateException("poison");
            }
          });
      for (int i = 0; i < 20; i++) {
        broker.publisher().publish(Message.builder().topic("awake").text("bad-" + i).build());
        broker.publisher().publish(Message.builder().topic("awake").text("good-" + i).build());
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> broker.stats("awake").dlqDepth() == 20 && seen.size() >= 40);
      assertThat(seen).hasSize(40).doesNotHaveDuplicates();
      assertThat(broker.stats("awake").ready() + broker.stats("awake").inFlight()).isZero();
    }
  }
}
