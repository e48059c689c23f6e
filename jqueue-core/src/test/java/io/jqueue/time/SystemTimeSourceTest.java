package io.jqueue.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SystemTimeSourceTest {
  private final SystemTimeSource time = new SystemTimeSource("test");

  @AfterEach
  void stop() {
    time.close();
  }

  @Test
  @DisplayName("now is the real time, and tasks run on the clock's own named daemon thread")
  void realTimeOwnThread() throws InterruptedException {
    Instant before = Instant.now();
    Instant now = time.now();
    assertThat(now).isBetween(before, Instant.now());
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);

    time.schedule(
        Duration.ofMillis(1),
        () -> {
          ranOn.set(Thread.currentThread());
          done.countDown();
        });

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ranOn.get().getName()).isEqualTo("jqueue-test-timer-1");
    assertThat(ranOn.get().isDaemon()).isTrue();
  }

  @Test
  @DisplayName("a task that throws does not stop the tasks after it")
  void failingTaskIsContained() throws InterruptedException {
    CountDownLatch later = new CountDownLatch(1);

    time.schedule(
        Duration.ZERO,
        () -> {
          throw new IllegalStateException("boom (expected in this test)");
        });
    time.schedule(
        Duration.ZERO,
        () -> {
          throw new AssertionError("an error (expected in this test)");
        });
    time.schedule(Duration.ofMillis(1), later::countDown);

    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @DisplayName("a cancelled task never runs: a task due after it runs, and it did not")
  void cancel() throws InterruptedException {
    AtomicBoolean ran = new AtomicBoolean();
    CountDownLatch after = new CountDownLatch(1);
    time.schedule(Duration.ofMillis(20), () -> ran.set(true)).cancel();
    time.schedule(Duration.ofMillis(40), after::countDown);

    assertThat(after.await(10, TimeUnit.SECONDS)).isTrue(); // one thread, in time order
    assertThat(ran).isFalse();
  }

  @Test
  @DisplayName("once closed, the clock refuses new tasks")
  void close() {
    time.schedule(Duration.ofHours(1), () -> {});
    time.close();
    time.close(); // idempotent

    assertThatThrownBy(() -> time.schedule(Duration.ZERO, () -> {}))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  @DisplayName("a delay too long for nanoseconds saturates instead of overflowing")
  void hugeDelay() {
    time.schedule(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), () -> {}).cancel();
    time.schedule(Duration.ofSeconds(Long.MIN_VALUE), () -> {}).cancel();
  }
}
