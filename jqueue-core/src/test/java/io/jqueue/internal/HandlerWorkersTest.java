package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HandlerWorkersTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final List<String> refused = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  @DisplayName("at most concurrency items run at once; the rest wait and all run in order")
  void boundedAndBuffered() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<Integer> done = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(10);
    HandlerWorkers<Integer> workers =
        new HandlerWorkers<>(
            2,
            pool,
            i -> {
              peak.accumulateAndGet(running.incrementAndGet(), Math::max);
              try {
                Thread.sleep(5);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              running.decrementAndGet();
              done.add(i);
              all.countDown();
            },
            i -> refused.add("" + i));

    for (int i = 0; i < 10; i++) {
      assertThat(workers.offer(i)).isTrue();
    }

    assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(peak.get()).isEqualTo(2);
    assertThat(done).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(workers.awaitIdle(Instant.now().plusSeconds(5))).isEmpty();
    assertThat(workers.holding()).isZero();
  }

  @Test
  @DisplayName("an Error in one task does not strand the items buffered behind it")
  void errorDoesNotStrandBuffer() throws Exception {
    CountDownLatch bothOffered = new CountDownLatch(1);
    CountDownLatch fineRan = new CountDownLatch(1);
    HandlerWorkers<String> workers =
        new HandlerWorkers<>(
            1,
            pool,
            s -> {
              if (s.equals("boom")) {
                try {
                  bothOffered.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                throw new StackOverflowError("user recursion");
              }
              fineRan.countDown();
            },
            refused::add);

    workers.offer("boom");
    workers.offer("fine"); // buffered: the only worker is busy with "boom"
    bothOffered.countDown();

    assertThat(fineRan.await(5, TimeUnit.SECONDS)).as("the buffered item still ran").isTrue();
    assertThat(refused).isEmpty();
    assertThat(workers.awaitIdle(Instant.now().plusSeconds(5))).isEmpty();
  }

  @Test
  @DisplayName("a refusing executor closes the workers and hands back every item not started")
  void refusingExecutor() {
    HandlerWorkers<String> workers =
        new HandlerWorkers<>(
            1,
            r -> {
              throw new IllegalStateException("executor broken");
            },
            s -> {},
            refused::add);

    assertThat(workers.offer("a")).isTrue();

    assertThat(refused).containsExactly("a");
    assertThat(workers.isClosed()).isTrue();
    assertThat(workers.offer("b")).isFalse();
  }

  @Test
  @DisplayName("close hands back buffered items and awaitIdle reports what still runs")
  void closeAndAwait() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    HandlerWorkers<String> workers =
        new HandlerWorkers<>(
            1,
            pool,
            s -> {
              started.countDown();
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            refused::add);
    workers.offer("running");
    workers.offer("waiting");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(workers.close()).containsExactly("waiting");
    assertThat(workers.offer("late")).isFalse();
    assertThat(workers.awaitIdle(Instant.now().plus(Duration.ofMillis(50))))
        .containsExactly("running");
    release.countDown();
    assertThat(workers.awaitIdle(Instant.now().plusSeconds(5))).isEmpty();
  }
}
