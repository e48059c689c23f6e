package io.jqueue.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jqueue.Broker;
import io.jqueue.BrokerClosedException;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedBrokerExtensionTest {

  @Nested
  @ExtendWith(EmbeddedBrokerExtension.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  @DisplayName("with @ExtendWith")
  class Declarative {
    private static volatile Broker previous;

    @Test
    @Order(1)
    @DisplayName("a test gets a working broker and its shared publisher")
    void injects(Broker broker, EmbeddedBroker same, Publisher publisher) {
      previous = broker;
      assertThat(same).isSameAs(broker);
      broker.declareQueue(QueueSpec.builder("signups").build());
      List<String> got = new CopyOnWriteArrayList<>();
      broker.subscribe("signups", d -> got.add(d.text()));

      publisher.publish(Message.builder().topic("signups").text("ada").build());

      await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("ada"));
    }

    @Test
    @Order(2)
    @DisplayName("the next test gets a fresh broker; the last one was closed")
    void freshAndClosed(Broker broker) {
      assertThat(broker).isNotSameAs(previous);
      assertThatThrownBy(() -> previous.stats("signups")).isInstanceOf(BrokerClosedException.class);
      assertThat(broker.capabilities()).isNotNull();
      broker.declareQueue(QueueSpec.builder("signups").build()); // nothing left from before
      assertThat(broker.stats("signups").published()).isZero();
    }
  }

  @Nested
  @DisplayName("with manual time")
  class ManualTime {
    @RegisterExtension
    final EmbeddedBrokerExtension jqueue = EmbeddedBrokerExtension.withManualTime();

    @Test
    @DisplayName("leases move only when the test advances the clock")
    void leaseOnManualClock(Broker broker, ManualTimeSource time) {
      broker.declareQueue(
          QueueSpec.builder("jobs").visibilityTimeout(Duration.ofSeconds(30)).build());
      broker.publisher().publish(Message.builder().topic("jobs").text("j").build());
      assertThat(broker.receive("jobs", 1, Duration.ofSeconds(5))).hasSize(1);

      time.advance(Duration.ofSeconds(29));
      assertThat(broker.stats("jobs").inFlight()).isEqualTo(1);
      time.advance(Duration.ofSeconds(1));
      assertThat(broker.stats("jobs").inFlight()).isZero();
      assertThat(broker.receive("jobs", 1, Duration.ZERO).get(0).attempt()).isEqualTo(2);
    }
  }
}
