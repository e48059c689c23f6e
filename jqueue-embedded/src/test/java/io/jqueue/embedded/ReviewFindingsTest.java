package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.ConsumerOptions;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import io.jqueue.Subscription;
import io.jqueue.ValidationException;
import io.jqueue.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Deterministic demonstrations of review findings. Each test asserts the CORRECT behaviour, so each
 * one FAILS on the reviewed code.
 */
class ReviewFindingsTest {
  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedBroker broker =
      EmbeddedBroker.create(
          EmbeddedConfig.builder()
              .timeSource(time)
              .statsReportInterval(Duration.ZERO)
              .expirySweepInterval(Duration.ofDays(1)) // keep the sweep out of the way
              .build());
  private final Publisher publisher = broker.publisher();

  @AfterEach
  void close() {
    broker.close(Duration.ofSeconds(2));
  }

  private void publish(String queue, String text) {
    publisher.publish(Message.builder().topic(queue).text(text).build());
  }

  private EmbeddedQueue queue(String name) {
    return broker.queue(name);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier c) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not reached");
      }
      Thread.sleep(1);
    }
  }

  @Test
  @DisplayName("F1: an expiry timer that already fired must not expire a lease extended meanwhile")
  void extendLeaseRacesFiringTimer() throws Exception {
    broker.declareQueue(QueueSpec.builder("q").visibilityTimeout(Duration.ofSeconds(30)).build());
    publish("q", "m");
    Delivery d = broker.receive("q", 1, Duration.ZERO).get(0);
    EmbeddedQueue q = queue("q");

    Thread timer;
    q.lock.lock();
    try {
      // the timer thread reaches its 30 s deadline and enters onLeaseExpired...
      timer = new Thread(() -> time.advance(Duration.ofSeconds(30)), "timer");
      timer.start();
      awaitTrue(() -> q.lock.hasQueuedThread(timer));
      // ...while the handler, a hair earlier, extends the lease: accepted, no exception
      d.extendLease(Duration.ofMinutes(10));
    } finally {
      q.lock.unlock();
    }
    timer.join();

    // the extension was accepted, so the lease must still be active and the message invisible
    assertThat(d.isSettled()).as("lease expired right after a successful extendLease").isFalse();
    assertThat(broker.receive("q", 1, Duration.ZERO))
        .as("message handed to a second consumer while the first holds an extended lease")
        .isEmpty();
  }

  @Test
  @DisplayName("F2: a failed extendLease must not leave the lease without an expiry timer")
  void hugeExtensionStrandsMessage() {
    broker.declareQueue(QueueSpec.builder("q").visibilityTimeout(Duration.ofSeconds(30)).build());
    publish("q", "m");
    Delivery d = broker.receive("q", 1, Duration.ZERO).get(0);

    assertThatThrownBy(() -> d.extendLease(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(RuntimeException.class); // ArithmeticException, after the timer was cancelled

    time.advance(Duration.ofHours(1)); // far beyond the original 30 s deadline
    // the puller gave up on the delivery; the message must come back
    assertThat(broker.receive("q", 1, Duration.ZERO))
        .as("message stuck in flight forever: its expiry timer was cancelled")
        .hasSize(1);
  }

  @Test
  @DisplayName("F3: fail() with an exception whose getMessage throws must not lose the message")
  void deadLetterLosesMessageOnThrowingGetMessage() {
    broker.declareQueue(QueueSpec.builder("q").maxRetries(1).build());
    publish("q", "m");
    Delivery d = broker.receive("q", 1, Duration.ZERO).get(0);
    RuntimeException evil =
        new RuntimeException() {
          @Override
          public String getMessage() {
            throw new IllegalStateException("getMessage is broken");
          }
        };

    d.fail(evil);

    assertThat(broker.deadLetters("q").count())
        .as("dead-lettered despite the broken error")
        .isOne();
    assertThat(broker.deadLetters("q").peek(1).get(0).errorMessage())
        .contains("getMessage() threw");
    assertThat(broker.stats("q").size()).isZero();
  }

  @Test
  @DisplayName("F4: a message whose handler never ran must not be dead-lettered as MAX_RETRIES")
  void bufferedLeaseBurnsAttempts() throws Exception {
    broker.declareQueue(
        QueueSpec.builder("q").maxRetries(1).visibilityTimeout(Duration.ofSeconds(30)).build());
    List<String> handled = new CopyOnWriteArrayList<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Subscription sub =
        broker.subscribe(
            "q",
            ConsumerOptions.builder().id("c").concurrency(1).prefetch(2).build(),
            dl -> {
              handled.add(dl.text());
              if (dl.text().equals("slow")) {
                started.countDown();
                while (true) { // a handler that finishes its work despite the interrupt
                  try {
                    release.await();
                    break;
                  } catch (InterruptedException ignored) {
                    // keep going
                  }
                }
              }
            });
    publish("q", "slow");
    publish("q", "never-run"); // leased at once, waits in the consumer's buffer
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    time.advance(Duration.ofSeconds(30)); // both leases expire; "slow" is still running

    List<String> dead =
        broker.deadLetters("q").peek(10).stream().map(x -> x.message().text()).toList();
    List<String> handledSoFar = List.copyOf(handled);
    release.countDown();

    assertThat(handledSoFar).containsExactly("slow");
    assertThat(dead)
        .as("dead-lettered with MAX_RETRIES although its handler ran 0 of 1 times")
        .doesNotContain("never-run");
    // its one attempt is still there: it is handled once "slow" frees the worker
    awaitTrue(() -> handled.contains("never-run"));
    assertThat(handled).containsExactly("slow", "never-run");
    sub.close(Duration.ofSeconds(1));
  }

  @Test
  @DisplayName("F5: a handler never starts on a lease that expired while it waited for a worker")
  void handlerStartsOnExpiredLease() throws Exception {
    broker.declareQueue(
        QueueSpec.builder("q").maxRetries(5).visibilityTimeout(Duration.ofSeconds(30)).build());
    AtomicReference<Thread> worker = new AtomicReference<>();
    AtomicInteger runs = new AtomicInteger();
    Subscription sub =
        broker.subscribe(
            "q",
            ConsumerOptions.builder()
                .id("c")
                .concurrency(1)
                .prefetch(1)
                .executor(
                    r -> {
                      Thread t = new Thread(r, "worker");
                      worker.compareAndSet(null, t);
                      t.start();
                    })
                .build(),
            dl -> runs.incrementAndGet());
    EmbeddedQueue q = queue("q");
    List<Delivery> second;
    q.lock.lock(); // the worker parks in begin(), before its handler starts
    try {
      publish("q", "m");
      awaitTrue(() -> worker.get() != null && q.lock.hasQueuedThread(worker.get()));
      time.advance(Duration.ofSeconds(30)); // the lease expires before the handler began
      second = broker.receive("q", 1, Duration.ZERO);
    } finally {
      q.lock.unlock();
    }
    worker.get().join(5_000);

    assertThat(second).hasSize(1);
    assertThat(second.get(0).attempt())
        .as("the expired lease never started: not an attempt")
        .isOne();
    assertThat(runs.get()).as("the handler must not run on the expired lease").isZero();
    second.get(0).ack();
    sub.close(Duration.ofSeconds(1));
  }

  @Test
  @DisplayName("F6: a message handled maxRetries times is never handled again (subscription close)")
  void closeReleaseUncountsAStartedAttempt() throws Exception {
    broker.declareQueue(QueueSpec.builder("q").maxRetries(1).build());
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    Subscription first =
        broker.subscribe(
            "q",
            ConsumerOptions.builder().id("a").build(),
            dl -> {
              runs.incrementAndGet();
              started.countDown();
              Thread.sleep(60_000); // hung handler (its side effects may already be done)
            });
    publish("q", "m");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    first.close(Duration.ZERO); // released "without counting the attempt"

    CountDownLatch again = new CountDownLatch(1);
    broker.subscribe(
        "q",
        ConsumerOptions.builder().id("b").build(),
        dl -> {
          runs.incrementAndGet();
          again.countDown();
          throw new IllegalStateException("fails");
        });
    again.await(2, TimeUnit.SECONDS);
    assertThat(runs.get()).as("handled %s times with maxRetries=1", runs.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("F7: broker close may close a DLQ before its parent; a dead letter then vanishes")
  void deadLetterIntoClosedDlqDuringBrokerClose() throws Exception {
    String name = null;
    for (int i = 0; i < 1000 && name == null; i++) {
      Map<String, Object> probe = new java.util.concurrent.ConcurrentHashMap<>();
      probe.put("q" + i + ".dlq", 1);
      probe.put("q" + i, 1);
      if (probe.keySet().iterator().next().endsWith(".dlq")) {
        name = "q" + i;
      }
    }
    broker.declareQueue(QueueSpec.builder(name).maxRetries(1).build());
    EmbeddedQueue parent = queue(name);
    EmbeddedQueue dlq = parent.deadLetters;
    publish(name, "m");
    Delivery d = broker.receive(name, 1, Duration.ZERO).get(0);

    Thread closer;
    parent.lock.lock();
    try {
      closer = new Thread(() -> broker.close(Duration.ofSeconds(1)), "closer");
      closer.start();
      awaitTrue(() -> parent.lock.hasQueuedThread(closer)); // DLQ already closed, parent next
      d.fail(new IllegalStateException("last attempt failed")); // accepted, no exception
    } finally {
      parent.lock.unlock();
    }
    closer.join();
    // parent counted it as dead-lettered, the DLQ never received it (only an ERROR log line)
    assertThat(parent.stats(List.of()).deadLettered()).isEqualTo(1);
    assertThat(dlq.stats(List.of()).published())
        .as("dead letter dropped: DLQ was closed before its parent")
        .isEqualTo(1);
  }

  @Test
  @DisplayName(
      "F8: an executor throwing a non-RejectedExecutionException must not wedge the"
          + " consumer or fail a publish that was enqueued")
  void throwingExecutorWedgesConsumerAndFailsPublish() throws Exception {
    broker.declareQueue(QueueSpec.builder("q").visibilityTimeout(Duration.ofSeconds(30)).build());
    AtomicInteger calls = new AtomicInteger();
    broker.subscribe(
        "q",
        ConsumerOptions.builder()
            .id("c")
            .executor(
                r -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("executor hiccup");
                  }
                  r.run();
                })
            .build(),
        dl -> {});
    Throwable thrown = null;
    try {
      publish("q", "m");
    } catch (RuntimeException e) {
      thrown = e;
    }
    assertThat(broker.stats("q").published()).isEqualTo(1); // it WAS enqueued
    assertThat(thrown).as("publish reported failure for an enqueued message").isNull();
  }

  @Test
  @DisplayName("F9: redriving an already-expired dead letter while a consumer waits spins forever")
  void redriveOfExpiredDeadLetterLoops() {
    broker.declareQueue(QueueSpec.builder("p").build());
    publisher.publish(
        Message.builder().topic("p").text("late").expiresAt(time.now().plusSeconds(5)).build());
    time.advance(Duration.ofSeconds(6));
    broker.receive("p", 1, Duration.ZERO); // meets the expired message: EXPIRED -> p.dlq
    assertThat(broker.deadLetters("p").count()).isEqualTo(1);
    broker.subscribe("p", ConsumerOptions.builder().id("c").build(), dl -> {});

    long moved = broker.deadLetters("p").redrive(1_000); // redrive() = Long.MAX_VALUE: never ends
    assertThat(moved)
        .as("one dead letter redriven %s times under both queue locks", moved)
        .isEqualTo(1);
  }

  @Test
  @DisplayName("F10: one StackOverflowError in a handler must not silently kill the subscription")
  void virtualMachineErrorWedgesConsumer() throws Exception {
    broker.declareQueue(QueueSpec.builder("q").maxRetries(3).build());
    List<String> handled = new CopyOnWriteArrayList<>();
    CountDownLatch second = new CountDownLatch(1);
    Subscription sub =
        broker.subscribe(
            "q",
            ConsumerOptions.builder().id("c").concurrency(1).prefetch(1).build(),
            dl -> {
              handled.add(dl.text());
              if (dl.text().equals("recursion-bug")) {
                throw new StackOverflowError(); // a VirtualMachineError, rethrown by the pipeline
              }
              second.countDown();
            });
    publish("q", "recursion-bug");
    publish("q", "fine");
    boolean got = second.await(1, TimeUnit.SECONDS);
    assertThat(sub.isActive()).isTrue(); // claims to be consuming...
    assertThat(got)
        .as(
            "no handler ever runs again; 'workers' stuck at 1, handled=%s, stats=%s",
            handled, broker.stats("q"))
        .isTrue();
  }

  @Test
  @DisplayName("F11: a Backoff that throws (or returns null) must not make the message vanish")
  void throwingBackoffLosesMessage() {
    broker.declareQueue(
        QueueSpec.builder("q")
            .ordered(true)
            .maxRetries(3)
            .backoff(
                attempt -> {
                  throw new IllegalStateException("bad backoff");
                })
            .build());
    publisher.publish(Message.builder().topic("q").key("k").text("first").build());
    publisher.publish(Message.builder().topic("q").key("k").text("second").build());
    Delivery d = broker.receive("q", 1, Duration.ZERO).get(0);

    d.fail(new RuntimeException("handler failed"));

    QueueStats s = broker.stats("q");
    assertThat(s.ready() + s.inFlight() + s.delayed()).as("both messages still held").isEqualTo(2);
    time.advance(Duration.ofSeconds(1)); // the fallback delay
    List<Delivery> next = broker.receive("q", 10, Duration.ZERO);
    assertThat(next).extracting(Delivery::text).containsExactly("first");
    assertThat(next.get(0).attempt()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "L12: a message TTL too long for every broker is refused when built, not an overflow; the"
          + " longest allowed still never expires early")
  void hugeMessageTtl() {
    broker.declareQueue(QueueSpec.builder("q").build());

    assertThatThrownBy(() -> Message.builder().ttl(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("at most 4294967295ms");
    publisher.publish(
        Message.builder().topic("q").text("long").ttl(QueueSpec.MAX_MESSAGE_TTL).build());

    time.advance(QueueSpec.MAX_MESSAGE_TTL.minusMillis(1));
    assertThat(broker.receive("q", 1, Duration.ZERO)).hasSize(1);
  }
}
