package io.jqueue.publishers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Message;
import io.jqueue.ValidationException;
import io.jqueue.publishers.PriorityPublisher.Level;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PriorityPublisherTest {
  private final RecordingPublisher high = RecordingPublisher.create();
  private final RecordingPublisher normal = RecordingPublisher.create();
  private final RecordingPublisher low = RecordingPublisher.create();

  private static Message msg(String action) {
    return Message.builder().topic("events").action(action).text(action).build();
  }

  @Test
  @DisplayName("the priority header wins; else the seed's action prefixes; else normal")
  void levels() {
    PriorityPublisher p = PriorityPublisher.builder().high(high).normal(normal).low(low).build();

    p.publish(msg("alert.disk-full"));
    p.publish(msg("analytics.page-view"));
    p.publish(msg("user.created"));
    p.publish(msg("analytics.crash").toBuilder().header("priority", "HIGH").build());
    p.publish(msg("alert.test").toBuilder().header("priority", "low").build());

    assertThat(high.published())
        .extracting(Message::action)
        .containsExactly("alert.disk-full", "analytics.crash");
    assertThat(normal.published()).extracting(Message::action).containsExactly("user.created");
    assertThat(low.published())
        .extracting(Message::action)
        .containsExactly("analytics.page-view", "alert.test");
  }

  @Test
  @DisplayName("a level without its own publisher uses the normal one")
  void missingLevelsUseNormal() {
    PriorityPublisher p = PriorityPublisher.builder().normal(normal).build();

    p.publish(msg("alert.x"));
    p.publish(msg("analytics.y"));

    assertThat(normal.published()).hasSize(2);
  }

  @Test
  @DisplayName("an unknown priority header is refused naming the field, not sent as normal")
  void unknownHeader() {
    PriorityPublisher p = PriorityPublisher.builder().normal(normal).build();

    assertThatThrownBy(() -> p.publish(msg("x").toBuilder().header("priority", "urgent").build()))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.field()).contains("headers.priority"));
    assertThat(normal.published()).isEmpty();
  }

  @Test
  @DisplayName("action prefixes can be replaced and are checked in the order given")
  void customPrefixes() {
    PriorityPublisher p =
        PriorityPublisher.builder()
            .high(high)
            .normal(normal)
            .low(low)
            .clearActionPrefixes()
            .actionPrefix("payment.refund", Level.LOW)
            .actionPrefix("payment.", Level.HIGH)
            .build();

    assertThat(p.levelOf(msg("payment.refund.requested"))).isEqualTo(Level.LOW);
    assertThat(p.levelOf(msg("payment.captured"))).isEqualTo(Level.HIGH);
    assertThat(p.levelOf(msg("alert.x"))).isEqualTo(Level.NORMAL);
  }

  @Test
  @DisplayName("a normal publisher is required")
  void normalRequired() {
    assertThatThrownBy(() -> PriorityPublisher.builder().high(high).build())
        .isInstanceOf(ValidationException.class);
  }
}
