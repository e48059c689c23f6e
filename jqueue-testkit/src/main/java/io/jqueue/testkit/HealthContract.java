package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BrokerClosedException;
import io.jqueue.Health;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §3 health: what brokers and publishers report, and the listener for changes. */
public abstract class HealthContract extends ContractSupport {

  /** One listener call: the change and the thread it came on. */
  private record Change(Health previous, Health current, String thread) {}

  @Test
  @DisplayName("an open broker and its publishers are UP")
  void openIsUp() {
    Publisher own = broker.publisher(PublisherOptions.builder().id("health-own").build());

    assertThat(broker.health()).isEqualTo(Health.up());
    assertThat(publisher.health()).isEqualTo(Health.up());
    assertThat(own.health()).isEqualTo(Health.up());
  }

  @Test
  @DisplayName("a closed publisher is DOWN, saying so, while its broker stays UP")
  void closedPublisher() {
    Publisher own = broker.publisher(PublisherOptions.builder().id("health-closed").build());

    own.close(Duration.ofSeconds(5));

    assertThat(own.health().status()).isEqualTo(Health.Status.DOWN);
    assertThat(own.health().reason()).contains("'health-closed'").contains("closed");
    assertThat(broker.health()).isEqualTo(Health.up());
  }

  @Test
  @DisplayName(
      "closing the broker makes it and its publishers DOWN, saying closed, and tells its listeners"
          + " on a jqueue thread")
  void closeIsDown() {
    List<Change> changes = new CopyOnWriteArrayList<>();
    broker.onHealthChange(
        (previous, current) ->
            changes.add(new Change(previous, current, Thread.currentThread().getName())));

    broker.close(Duration.ofSeconds(5));

    assertThat(broker.health().status()).isEqualTo(Health.Status.DOWN);
    assertThat(broker.health().reason()).contains("closed");
    assertThat(publisher.health().status()).isEqualTo(Health.Status.DOWN);
    eventually().until(() -> !changes.isEmpty());
    Change change = changes.get(0);
    assertThat(change.previous()).isEqualTo(Health.up());
    assertThat(change.current()).isEqualTo(broker.health());
    assertThat(change.thread()).startsWith("jqueue-");
  }

  @Test
  @DisplayName("a listener that throws breaks neither the broker nor the other listeners")
  void throwingListener() {
    List<Health> told = new CopyOnWriteArrayList<>();
    broker.onHealthChange(
        (previous, current) -> {
          throw new IllegalStateException("a listener's bug");
        });
    broker.onHealthChange((previous, current) -> told.add(current));

    publisher.publish(text(declare(queue("health")), "still works"));
    broker.close(Duration.ofSeconds(5));

    eventually().until(() -> told.size() == 1);
    assertThat(told.get(0).status()).isEqualTo(Health.Status.DOWN);
  }

  @Test
  @DisplayName("a removed listener is not called")
  void removedListener() {
    List<Health> removed = new CopyOnWriteArrayList<>();
    List<Health> kept = new CopyOnWriteArrayList<>();
    broker.onHealthChange((previous, current) -> removed.add(current)).close();
    broker.onHealthChange((previous, current) -> kept.add(current));

    broker.close(Duration.ofSeconds(5));

    eventually().until(() -> kept.size() == 1);
    assertThat(removed).isEmpty();
  }

  @Test
  @DisplayName("after close, health() still answers and adding a listener is refused")
  void afterClose() {
    broker.close(Duration.ofSeconds(5));

    assertThat(broker.health().status()).isEqualTo(Health.Status.DOWN);
    assertThatThrownBy(() -> broker.onHealthChange((previous, current) -> {}))
        .isInstanceOf(BrokerClosedException.class);
  }
}
