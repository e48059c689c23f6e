package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.ExpiryPolicy;
import io.jqueue.Message;
import io.jqueue.MessageHandler;
import io.jqueue.QueueSpec;
import io.jqueue.time.ManualTimeSource;
import io.jqueue.time.SystemTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the client decides on RabbitMQ (leases, in-process backoff, a message's own expiry) runs on
 * the configured clock: each test moves a {@link ManualTimeSource} and never sleeps. The leases are
 * long (minutes) so the real clock could never end one while a test runs; RabbitMQ's side is
 * asynchronous, so its effects are awaited.
 */
class RabbitMqManualClockTest {
  private static final Duration VISIBILITY = Duration.ofMinutes(10);
  private static final Duration MS = Duration.ofMillis(1);

  private final ManualTimeSource time = new ManualTimeSource();
  private final CountDownLatch release = new CountDownLatch(1); // frees blocked handlers
  private final List<Delivery> handled = new CopyOnWriteArrayList<>();
  private final List<Integer> interrupted = new CopyOnWriteArrayList<>();
  private RabbitMqBroker broker;
  private String q;

  @BeforeEach
  void open() {
    broker =
        RabbitMqBroker.connect(
            RabbitMqTestSupport.config()
                .connectionName("jqueue-test-clock")
                .timeSource(time)
                .build());
    q = "clock-" + System.nanoTime();
  }

  @AfterEach
  void close() {
    release.countDown();
    try {
      broker.deleteQueue(q);
    } finally {
      broker.close(Duration.ofSeconds(5));
    }
  }

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10));
  }

  private void publish(Message.Builder message) {
    broker.publisher().publish(message.topic(q).build());
  }

  /**
   * Records each delivery; blocks the attempts in {@code blocking} until released or interrupted.
   */
  private MessageHandler blockingOn(int... blocking) {
    return d -> {
      handled.add(d);
      for (int attempt : blocking) {
        if (d.attempt() == attempt) {
          try {
            release.await();
          } catch (InterruptedException e) {
            interrupted.add(d.attempt());
            throw e;
          }
        }
      }
    };
  }

  private void subscribe(MessageHandler handler) {
    broker.subscribe(q, ConsumerOptions.builder().id("c").concurrency(1).build(), handler);
  }

  private Delivery awaitAttempt(int attempt) {
    eventually().until(() -> handled.stream().anyMatch(d -> d.attempt() == attempt));
    return handled.stream().filter(d -> d.attempt() == attempt).findFirst().orElseThrow();
  }

  @Test
  @DisplayName(
      "a handler blocked past its visibility timeout on the clock is interrupted; attempt 2")
  void leaseExpiresOnTheClock() {
    broker.declareQueue(QueueSpec.builder(q).visibilityTimeout(VISIBILITY).maxRetries(3).build());
    subscribe(blockingOn(1));
    publish(Message.builder().text("slow"));
    Delivery first = awaitAttempt(1);
    assertThat(first.deadline()).isEqualTo(time.now().plus(VISIBILITY));

    time.advance(VISIBILITY.minus(MS));
    assertThat(first.isSettled()).as("lease ended before its deadline").isFalse();
    time.advance(MS);
    assertThat(first.isSettled()).as("lease ended at its deadline").isTrue();

    eventually().until(() -> interrupted.contains(1));
    awaitAttempt(2);
    eventually().until(() -> broker.stats(q).acked() == 1);
    assertThat(handled).extracting(Delivery::attempt).containsExactly(1, 2);
    assertThat(broker.stats(q).failed()).isEqualTo(1);
  }

  @Test
  @DisplayName("an extended lease outlives its first deadline and ends at the extended one")
  void extendedLease() {
    broker.declareQueue(QueueSpec.builder(q).visibilityTimeout(VISIBILITY).maxRetries(3).build());
    subscribe(blockingOn(1));
    publish(Message.builder().text("long job"));
    Delivery first = awaitAttempt(1);
    time.advance(Duration.ofMinutes(4));

    first.extendLease(Duration.ofMinutes(30));

    assertThat(first.deadline()).isEqualTo(time.now().plus(Duration.ofMinutes(30)));
    time.advance(Duration.ofMinutes(29)); // well past the first deadline (10 min)
    assertThat(first.isSettled()).as("lease ended at its first deadline").isFalse();
    time.advance(Duration.ofMinutes(1).minus(MS));
    assertThat(first.isSettled()).as("lease ended before the extended deadline").isFalse();
    time.advance(MS);
    assertThat(first.isSettled()).as("lease ended at the extended deadline").isTrue();
    eventually().until(() -> interrupted.contains(1));
    awaitAttempt(2);
  }

  @Test
  @DisplayName("the last attempt's lease running out dead-letters with MAX_RETRIES")
  void lastLeaseDeadLetters() {
    broker.declareQueue(QueueSpec.builder(q).visibilityTimeout(VISIBILITY).maxRetries(2).build());
    subscribe(blockingOn(1, 2));
    publish(Message.builder().text("hangs"));
    awaitAttempt(1);
    time.advance(VISIBILITY);
    Delivery last = awaitAttempt(2);
    assertThat(last.deadline()).isEqualTo(time.now().plus(VISIBILITY));

    time.advance(VISIBILITY);

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
    assertThat(dead.attempts()).isEqualTo(2);
    assertThat(dead.message().text()).isEqualTo("hangs");
    eventually().until(() -> interrupted.equals(List.of(1, 2)));
    assertThat(handled).extracting(Delivery::attempt).containsExactly(1, 2);
  }

  @Test
  @DisplayName("a pulled delivery whose lease runs out on the clock goes back as attempt 2")
  void pulledLeaseExpires() {
    broker.declareQueue(QueueSpec.builder(q).visibilityTimeout(VISIBILITY).maxRetries(3).build());
    publish(Message.builder().text("pulled"));
    Delivery first = broker.receive(q, 1, Duration.ofSeconds(10)).get(0);
    assertThat(first.deadline()).isEqualTo(time.now().plus(VISIBILITY));

    time.advance(VISIBILITY.minus(MS));
    assertThat(first.isSettled()).isFalse();
    assertThat(broker.receive(q, 1, Duration.ZERO)).as("still leased").isEmpty();
    time.advance(MS);
    assertThat(first.isSettled()).isTrue();

    List<Delivery> again = broker.receive(q, 1, Duration.ofSeconds(10));
    assertThat(again).extracting(Delivery::attempt).containsExactly(2);
    assertThat(again.get(0).text()).isEqualTo("pulled");
    again.get(0).ack();
  }

  @Test
  @DisplayName("an ordered queue's in-process retry waits for its backoff on the clock")
  void orderedBackoffWaitsForTheClock() {
    Duration backoff = Duration.ofMinutes(5);
    broker.declareQueue(
        QueueSpec.builder(q)
            .ordered(true)
            .visibilityTimeout(VISIBILITY)
            .maxRetries(3)
            .backoff(Backoff.fixed(backoff))
            .build());
    subscribe(
        d -> {
          handled.add(d);
          if (d.attempt() == 1) {
            throw new IllegalStateException("first attempt fails (expected in this test)");
          }
        });
    publish(Message.builder().key("k").text("in order"));
    // the failure cancelled the attempt's lease timer, so the one task left is the retry
    eventually().until(() -> broker.stats(q).failed() == 1 && time.pendingTasks() == 1);

    time.advance(backoff.minus(MS));
    assertThat(time.pendingTasks()).as("retry still waiting").isEqualTo(1);
    assertThat(handled).extracting(Delivery::attempt).containsExactly(1);
    time.advance(MS);

    awaitAttempt(2);
    eventually().until(() -> broker.stats(q).acked() == 1);
    assertThat(handled).extracting(Delivery::attempt).containsExactly(1, 2);
  }

  @Test
  @DisplayName("a message past its expiresAt on the clock is dead-lettered EXPIRED, not handled")
  void expiredOnArrivalDeadLetters() {
    broker.declareQueue(QueueSpec.builder(q).visibilityTimeout(VISIBILITY).build());
    // RabbitMQ holds it for a minute of real time: only the client's clock says it expired
    publish(Message.builder().text("stale").expiresAt(time.now().plus(Duration.ofMinutes(1))));
    time.advance(Duration.ofMinutes(1));

    subscribe(blockingOn());

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.EXPIRED);
    assertThat(dead.attempts()).isZero();
    assertThat(dead.message().text()).isEqualTo("stale");
    assertThat(broker.stats(q).expired()).isEqualTo(1);
    assertThat(handled).isEmpty();
  }

  @Test
  @DisplayName("a pulled message past its expiresAt on the clock is dropped under DROP")
  void expiredOnPullDropped() {
    broker.declareQueue(
        QueueSpec.builder(q).visibilityTimeout(VISIBILITY).expiryPolicy(ExpiryPolicy.DROP).build());
    publish(Message.builder().text("stale").expiresAt(time.now().plus(Duration.ofMinutes(1))));
    time.advance(Duration.ofMinutes(1));

    // polls the whole wait: the one message it gets is expired, so it returns none
    assertThat(broker.receive(q, 1, Duration.ofSeconds(2))).isEmpty();

    eventually().until(() -> broker.stats(q).dropped() == 1);
    assertThat(broker.stats(q).expired()).isEqualTo(1);
    assertThat(broker.deadLetters(q).count()).isZero();
    assertThat(broker.receive(q, 1, Duration.ZERO)).isEmpty();
  }

  @Test
  @DisplayName("an ordered retry due after the message's expiresAt is dead-lettered EXPIRED")
  void orderedRetryAfterExpiry() {
    broker.declareQueue(
        QueueSpec.builder(q)
            .ordered(true)
            .visibilityTimeout(VISIBILITY)
            .maxRetries(3)
            .backoff(Backoff.fixed(Duration.ofMinutes(5)))
            .build());
    subscribe(
        d -> {
          handled.add(d);
          throw new IllegalStateException("fails (expected in this test)");
        });
    publish(
        Message.builder()
            .key("k")
            .text("short-lived")
            .expiresAt(time.now().plus(Duration.ofMinutes(1))));
    eventually().until(() -> broker.stats(q).failed() == 1 && time.pendingTasks() == 1);

    time.advance(Duration.ofMinutes(5)); // the retry is due, the message expired meanwhile

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.EXPIRED);
    assertThat(dead.attempts()).isEqualTo(1);
    assertThat(handled).extracting(Delivery::attempt).containsExactly(1);
  }

  @Test
  @DisplayName("a retry that comes back after its expiresAt on the clock is dropped under DROP")
  void retryAfterExpiryDropped() {
    broker.declareQueue(
        QueueSpec.builder(q)
            .visibilityTimeout(VISIBILITY)
            .maxRetries(3)
            .backoff(Backoff.none())
            .expiryPolicy(ExpiryPolicy.DROP)
            .build());
    CountDownLatch fail = new CountDownLatch(1);
    subscribe(
        d -> {
          handled.add(d);
          fail.await();
          throw new IllegalStateException("fails (expected in this test)");
        });
    publish(Message.builder().text("late").expiresAt(time.now().plus(Duration.ofMinutes(1))));
    awaitAttempt(1);

    time.advance(Duration.ofMinutes(1));
    fail.countDown();

    eventually().until(() -> broker.stats(q).dropped() == 1);
    assertThat(broker.stats(q).expired()).isEqualTo(1);
    assertThat(broker.deadLetters(q).count()).isZero();
    assertThat(handled).extracting(Delivery::attempt).containsExactly(1);
  }

  @Test
  @DisplayName("a clock the config supplied still runs after the broker closed: it is the caller's")
  void suppliedClockIsNotClosed() throws InterruptedException {
    try (SystemTimeSource own = new SystemTimeSource("test-supplied")) {
      RabbitMqBroker.connect(
              RabbitMqTestSupport.config()
                  .connectionName("jqueue-test-clock")
                  .timeSource(own)
                  .build())
          .close(Duration.ofSeconds(5));
      CountDownLatch ran = new CountDownLatch(1);

      own.schedule(Duration.ZERO, ran::countDown);

      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
