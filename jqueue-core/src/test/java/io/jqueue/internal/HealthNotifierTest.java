package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Health;
import io.jqueue.HealthListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HealthNotifierTest {
  private static final Health LOST = Health.down("connection lost");
  private static final Health BLOCKED = Health.degraded("blocked");

  private final AtomicReference<Health> state = new AtomicReference<>(Health.up());
  private final HealthNotifier notifier = new HealthNotifier("test", state::get);
  private final List<String> calls = new CopyOnWriteArrayList<>();

  private final HealthListener recording =
      (previous, current) ->
          calls.add(previous + " -> " + current + " on " + Thread.currentThread().getName());

  @AfterEach
  void close() {
    notifier.close();
  }

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(10));
  }

  private void change(Health to) {
    state.set(to);
    notifier.refresh();
  }

  @Test
  @DisplayName("each change reaches the listener on a jqueue thread, in order, with what it was")
  void changesInOrder() {
    notifier.add(recording);

    change(LOST);
    change(Health.up());
    change(Health.up()); // no change: no call

    eventually().until(() -> calls.size() == 2);
    assertThat(calls)
        .containsExactly(
            "UP -> DOWN (connection lost) on jqueue-health-test-1",
            "DOWN (connection lost) -> UP on jqueue-health-test-1");
  }

  @Test
  @DisplayName("a listener that throws is logged and the other listeners and later changes go on")
  void throwingListener() {
    notifier.add(
        (previous, current) -> {
          throw new IllegalStateException("listener bug");
        });
    notifier.add(recording);

    change(LOST);
    change(Health.up());

    eventually().until(() -> calls.size() == 2);
  }

  @Test
  @DisplayName("a removed listener hears nothing more")
  void removed() {
    List<Health> removedCalls = new CopyOnWriteArrayList<>();
    HealthListener.Registration r = notifier.add((p, c) -> removedCalls.add(c));
    notifier.add(recording);

    r.close();
    change(LOST);

    eventually().until(() -> calls.size() == 1);
    assertThat(removedCalls).isEmpty();
  }

  @Test
  @DisplayName("changes waiting for a slow listener are bounded; the newest always arrives")
  void bounded() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    List<Health> seen = new CopyOnWriteArrayList<>();
    notifier.add(
        (previous, current) -> {
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          seen.add(current);
        });
    change(LOST);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    for (int i = 0; i < 1_000; i++) {
      change(i % 2 == 0 ? Health.up() : BLOCKED);
    }
    change(Health.down("the last word"));
    release.countDown();

    eventually().until(() -> seen.contains(Health.down("the last word")));
    assertThat(seen).hasSizeLessThanOrEqualTo(HealthNotifier.MAX_PENDING + 1);
    assertThat(seen.get(seen.size() - 1)).isEqualTo(Health.down("the last word"));
  }

  @Test
  @DisplayName("a change queued before close is still delivered; none after it; its thread ends")
  void closing() {
    notifier.add(recording);

    change(LOST);
    notifier.close();
    change(Health.up());

    eventually().during(Duration.ofMillis(300)).until(() -> calls.size() == 1);
    assertThat(calls.get(0)).startsWith("UP -> DOWN");
    eventually()
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().startsWith("jqueue-health-test-")));
  }
}
