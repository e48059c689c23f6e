package io.jqueue.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ManualTimeSourceTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualTimeSource time = new ManualTimeSource(START);
  private final List<String> ran = new ArrayList<>();

  @Test
  @DisplayName(
      "advance runs the due tasks in time order, ties in scheduling order, each at its time")
  void runsDueTasksInOrder() {
    time.schedule(Duration.ofSeconds(3), () -> ran.add("c at " + time.now()));
    time.schedule(Duration.ofSeconds(1), () -> ran.add("a at " + time.now()));
    time.schedule(Duration.ofSeconds(1), () -> ran.add("b at " + time.now()));
    time.schedule(Duration.ofSeconds(5), () -> ran.add("not due"));

    Instant end = time.advance(Duration.ofSeconds(4));

    assertThat(ran)
        .containsExactly(
            "a at " + START.plusSeconds(1),
            "b at " + START.plusSeconds(1),
            "c at " + START.plusSeconds(3));
    assertThat(end).isEqualTo(START.plusSeconds(4)).isEqualTo(time.now());
    assertThat(time.pendingTasks()).isEqualTo(1);
  }

  @Test
  @DisplayName("tasks run on the advancing thread, and a task a task schedules runs if it is due")
  void nestedTasksOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    time.schedule(
        Duration.ofSeconds(1),
        () -> {
          ran.add("outer on caller: " + (Thread.currentThread() == caller));
          time.schedule(Duration.ofSeconds(1), () -> ran.add("inner at " + time.now()));
          time.schedule(Duration.ofSeconds(9), () -> ran.add("inner, not due"));
        });

    time.advance(Duration.ofSeconds(2));

    assertThat(ran).containsExactly("outer on caller: true", "inner at " + START.plusSeconds(2));
  }

  @Test
  @DisplayName("a cancelled task never runs; a task with no delay waits for the next advance")
  void cancelAndZeroDelay() {
    TimeSource.Cancellable cancelled = time.schedule(Duration.ofSeconds(1), () -> ran.add("x"));
    time.schedule(Duration.ofSeconds(-5), () -> ran.add("now"));
    cancelled.cancel();
    assertThat(ran).isEmpty();

    time.runDueTasks();

    assertThat(ran).containsExactly("now");
    assertThat(time.now()).isEqualTo(START);
    time.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("now");
  }

  @Test
  @DisplayName("time only moves forward, and saturates instead of overflowing")
  void forwardAndSaturating() {
    assertThatThrownBy(() -> time.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    time.schedule(Duration.ofSeconds(Long.MAX_VALUE), () -> ran.add("far"));

    time.advance(Duration.ofSeconds(Long.MAX_VALUE));

    assertThat(ran).containsExactly("far");
    assertThat(time.now().toEpochMilli()).isEqualTo(Long.MAX_VALUE);
  }
}
