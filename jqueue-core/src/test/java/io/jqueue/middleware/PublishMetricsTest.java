package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.Message;
import io.jqueue.ValidationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublishMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double count(String topic, String action, String status) {
    Counter c =
        registry
            .find(PublishMetrics.PUBLISHED)
            .tags("topic", topic, "action", action, "status", status)
            .counter();
    return c == null ? 0 : c.count();
  }

  private static Message msg(String topic, String action) {
    return Message.builder().topic(topic).action(action).text("x").build();
  }

  @Test
  @DisplayName("successes and errors are counted by topic, action and status, and timed")
  void countsAndTimes() {
    PublishMetrics metrics = PublishMetrics.of(registry);
    ChainStub ok = new ChainStub();
    ChainStub failing =
        new ChainStub()
            .answering(
                m -> {
                  throw new BrokerUnavailableException("down");
                });

    metrics.publish(msg("users", "user.created"), ok);
    metrics.publish(msg("users", "user.created"), ok);
    metrics.publish(msg("users", "user.deleted"), ok);
    assertThatThrownBy(() -> metrics.publish(msg("users", "user.created"), failing))
        .isInstanceOf(BrokerUnavailableException.class);
    metrics.publish(Message.builder().topic("audit").text("x").build(), ok);

    assertThat(count("users", "user.created", "success")).isEqualTo(2);
    assertThat(count("users", "user.created", "error")).isEqualTo(1);
    assertThat(count("users", "user.deleted", "success")).isEqualTo(1);
    assertThat(count("audit", PublishMetrics.NONE, "success")).isEqualTo(1);
    Timer timer =
        registry
            .find(PublishMetrics.DURATION)
            .tags("topic", "users", "action", "user.created")
            .timer();
    assertThat(timer.count()).isEqualTo(3);
    assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
  }

  @Test
  @DisplayName("distinct tag values are capped: the rest are counted under _other")
  void tagValuesCapped() {
    PublishMetrics metrics = PublishMetrics.of(registry, 3);
    ChainStub ok = new ChainStub();

    for (int user = 0; user < 50; user++) {
      metrics.publish(msg("user-" + user, "a" + user), ok);
    }

    assertThat(registry.find(PublishMetrics.PUBLISHED).counters()).hasSize(4 * 2);
    assertThat(count("user-0", "a0", "success")).isEqualTo(1);
    assertThat(count("user-2", "a2", "success")).isEqualTo(1);
    assertThat(count(PublishMetrics.OTHER, PublishMetrics.OTHER, "success")).isEqualTo(47);
    assertThat(registry.find(PublishMetrics.DURATION).timers()).hasSize(4);
  }

  @Test
  @DisplayName("a cap below 1 is refused")
  void badCap() {
    assertThatThrownBy(() -> PublishMetrics.of(registry, 0))
        .isInstanceOf(ValidationException.class);
  }
}
