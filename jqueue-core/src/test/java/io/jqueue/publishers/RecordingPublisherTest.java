package io.jqueue.publishers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.MessageLimits;
import io.jqueue.MessageTooLargeException;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueFullException;
import io.jqueue.middleware.SchemaVersion;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecordingPublisherTest {

  private static Message msg(String topic, String text) {
    return Message.builder().topic(topic).text(text).build();
  }

  @Test
  @DisplayName("records what was published, by topic and in order")
  void records() {
    RecordingPublisher p = RecordingPublisher.create();

    p.publish(msg("users", "a"));
    p.publishAsync(msg("orders", "b")).join();
    p.publishAll(java.util.List.of(msg("users", "c")));

    assertThat(p.published()).extracting(Message::text).containsExactly("a", "b", "c");
    assertThat(p.published("users")).extracting(Message::text).containsExactly("a", "c");
    assertThat(p.last().text()).isEqualTo("c");
    p.clear();
    assertThat(p.published()).isEmpty();
  }

  @Test
  @DisplayName("it runs the real chain: middlewares, default headers and limits apply")
  void runsTheChain() {
    RecordingPublisher p =
        RecordingPublisher.create(
            PublisherOptions.builder()
                .middlewares(SchemaVersion.of("2"))
                .defaultHeaders(java.util.Map.of("service", "users"))
                .limits(MessageLimits.defaults().withMaxPayloadBytes(4))
                .build());

    p.publish(msg("users", "ok"));

    assertThat(p.last().header(JQueueHeaders.SCHEMA_VERSION)).contains("2");
    assertThat(p.last().header("service")).contains("users");
    assertThatThrownBy(() -> p.publish(msg("users", "too long")))
        .isInstanceOf(MessageTooLargeException.class);
    assertThat(p.published()).hasSize(1);
  }

  @Test
  @DisplayName(
      "it fails when told: the next publish, or every matching one; failures record nothing")
  void failsWhenTold() {
    RecordingPublisher p = RecordingPublisher.create();
    p.failNext(new BrokerUnavailableException("down"));
    p.failWhen(m -> m.topic().equals("full"), m -> new QueueFullException("full", 1));

    assertThatThrownBy(() -> p.publish(msg("users", "1")))
        .isInstanceOf(BrokerUnavailableException.class);
    p.publish(msg("users", "2"));
    assertThatThrownBy(() -> p.publish(msg("full", "3"))).isInstanceOf(QueueFullException.class);

    assertThat(p.published()).extracting(Message::text).containsExactly("2");
  }

  @Test
  @DisplayName("health is UP, what the test reports, and DOWN once closed")
  void health() {
    RecordingPublisher p = RecordingPublisher.create();
    assertThat(p.health().isUp()).isTrue();

    p.reportHealth(io.jqueue.Health.degraded("connection blocked"));
    assertThat(p.health().reason()).isEqualTo("connection blocked");
    p.close();
    assertThat(p.health().status()).isEqualTo(io.jqueue.Health.Status.DOWN);
  }
}
