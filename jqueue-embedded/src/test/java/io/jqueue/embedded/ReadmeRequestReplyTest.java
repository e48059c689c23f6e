package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Broker;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.Requester;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's request-reply example, kept compiling and working. */
class ReadmeRequestReplyTest {

  private static String priceOf(String item) {
    return item.equals("apple") ? "1.20" : "?";
  }

  @Test
  @DisplayName("the README request-reply example gets its answer and counts it")
  void example() {
    try (Broker broker = EmbeddedBroker.create()) {
      broker.declareQueue(QueueSpec.builder("prices").build());
      // --- as in the README ---
      broker.respond("prices", d -> Message.builder().text(priceOf(d.text())).build());
      try (Requester requester = broker.requester()) {
        Message reply =
            requester
                .request(
                    Message.builder().topic("prices").text("apple").build(), Duration.ofSeconds(2))
                .join();
        // --- end ---
        assertThat(reply.text()).isEqualTo("1.20");
        assertThat(requester.stats().completed()).isOne();
        assertThat(broker.queues()).contains("jqueue.replies." + requester.id());
      }
      assertThat(broker.queues()).containsExactly("prices");
    }
  }
}
