package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetter;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import io.jqueue.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Attempts on RabbitMQ count only what a handler (or a pull caller) was given: a message that waits
 * in a consumer's prefetch buffer is not leased yet, and a retry never goes back to a consumer
 * whose handler still holds the attempt before it and has no room beyond that handler.
 */
class RabbitMqAttemptsTest {
  private static final Duration VISIBILITY = Duration.ofSeconds(2);

  private RabbitMqBroker broker;
  private String q;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void open() {
    broker =
        RabbitMqBroker.connect(
            RabbitMqTestSupport.config().connectionName("jqueue-test-attempts").build());
    q = "attempts-" + System.nanoTime();
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

  /** One handler call: what it saw and when its lease ended. */
  private record Seen(String text, int attempt, Instant started, Instant deadline) {}

  @Test
  @DisplayName(
      "a message that waited in the prefetch buffer behind a busy handler gets a full lease when"
          + " its own handler starts, and its attempt is not counted against it")
  void leaseStartsWithTheHandler() {
    broker.declareQueue(QueueSpec.builder(q).visibilityTimeout(VISIBILITY).maxRetries(2).build());
    List<Seen> seen = new CopyOnWriteArrayList<>();
    broker.subscribe(
        q,
        ConsumerOptions.builder().id("slow").concurrency(1).prefetch(2).build(),
        d -> {
          Instant started = Instant.now();
          seen.add(new Seen(d.text(), d.attempt(), started, d.deadline()));
          // each handler works for 60 % of the visibility timeout: well inside its own lease, but
          // the second message, buffered from the start, waits that long before its handler runs
          Instant done = started.plus(VISIBILITY.multipliedBy(6).dividedBy(10));
          eventually().until(() -> Instant.now().isAfter(done));
        });

    broker.publisher().publish(Message.builder().topic(q).text("first").build());
    broker.publisher().publish(Message.builder().topic(q).text("second").build());

    eventually().until(() -> broker.stats(q).acked() == 2);
    QueueStats stats = broker.stats(q);
    assertThat(seen).extracting(Seen::text).containsExactly("first", "second");
    assertThat(seen).extracting(Seen::attempt).containsExactly(1, 1);
    Seen second = seen.get(1);
    assertThat(Duration.between(second.started(), second.deadline()))
        .as("lease left to the second handler when it started")
        .isGreaterThan(VISIBILITY.multipliedBy(3).dividedBy(4));
    assertThat(stats.failed()).isZero();
    assertThat(stats.retried()).isZero();
    assertThat(broker.deadLetters(q).count()).isZero();
  }

  @Test
  @DisplayName(
      "with concurrency(1), prefetch(4) and a hung handler, the messages and retries buffered"
          + " behind it reach the dead-letter queue only with attempts a handler saw")
  void bufferedBehindAHungHandler() {
    broker.declareQueue(
        QueueSpec.builder(q).visibilityTimeout(Duration.ofMillis(500)).maxRetries(2).build());
    Map<String, List<Integer>> attemptsSeen = new ConcurrentHashMap<>();
    broker.subscribe(
        q,
        ConsumerOptions.builder().id("stuck").concurrency(1).prefetch(4).build(),
        d -> {
          attemptsSeen
              .computeIfAbsent(d.text(), k -> new CopyOnWriteArrayList<>())
              .add(d.attempt());
          if (d.text().equals("hangs") && d.attempt() == 1) {
            // ignores the interrupt of its expired lease: the worker stays stuck a while
            while (release.getCount() > 0) {
              try {
                release.await();
              } catch (InterruptedException e) {
                // keep hanging
              }
            }
          }
          throw new IllegalStateException("fails on attempt " + d.attempt());
        });

    broker.publisher().publish(Message.builder().topic(q).text("hangs").build());
    eventually().until(() -> attemptsSeen.containsKey("hangs"));
    broker.publisher().publish(Message.builder().topic(q).text("waits").build());
    // the hung attempt's lease ends, its retry and "waits" sit in the buffer behind the handler;
    // several visibility timeouts pass while the worker is stuck
    eventually().until(() -> broker.stats(q).failed() == 1);
    Instant stuckUntil = Instant.now().plus(Duration.ofMillis(2_000));
    eventually().until(() -> Instant.now().isAfter(stuckUntil));
    release.countDown();

    eventually().until(() -> broker.deadLetters(q).count() == 2);
    assertThat(attemptsSeen).containsOnlyKeys("hangs", "waits");
    assertThat(attemptsSeen.get("hangs")).containsExactly(1, 2);
    assertThat(attemptsSeen.get("waits")).containsExactly(1, 2);
    List<DeadLetter> dead = broker.deadLetters(q).peek(10);
    assertThat(dead)
        .allSatisfy(
            d -> assertThat(d.attempts()).as("attempts of %s", d.message().text()).isEqualTo(2));
    // stats count a dead letter once its move's confirm is back, which may lag the DLQ depth
    QueueStats stats = eventually().until(() -> broker.stats(q), s -> s.deadLettered() == 2);
    assertThat(stats.failed()).isEqualTo(4);
    assertThat(stats.retried()).isEqualTo(2);
    assertThat(stats.deadLettered()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "the retry of a hung handler's expired attempt goes to another consumer, not back to the"
          + " one still holding the attempt before it")
  void retryOfAnExpiredAttemptGoesElsewhere() {
    broker.declareQueue(
        QueueSpec.builder(q).visibilityTimeout(Duration.ofMillis(300)).maxRetries(5).build());
    List<String> hungSaw = new CopyOnWriteArrayList<>();
    broker.subscribe(
        q,
        // no room beyond its handler (a deeper prefetch would buffer the retry behind it)
        ConsumerOptions.builder().id("hangs").prefetch(1).build(),
        d -> {
          hungSaw.add(d.text() + "#" + d.attempt());
          try {
            release.await(); // returns at once when its expired lease interrupts it
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });

    // a handler interrupted by its expired lease returns at once, so its consumer is free again
    // about when the retry arrives; the retry must still go to the other consumer
    for (int i = 0; i < 12; i++) {
      String text = "slow-" + i;
      int handledSoFar = i + 1;
      broker.publisher().publish(Message.builder().topic(q).text(text).build());
      eventually().until(() -> hungSaw.contains(text + "#1"));
      List<Integer> rescuerSaw = new CopyOnWriteArrayList<>();
      Subscription rescuer =
          broker.subscribe(
              q,
              ConsumerOptions.builder().id("rescuer-" + i).build(),
              d -> rescuerSaw.add(d.attempt()));
      try {
        eventually().until(() -> rescuerSaw.size() == 1 || hungSaw.size() > handledSoFar);
        assertThat(hungSaw).as("what the hung consumer saw").endsWith(text + "#1");
        assertThat(rescuerSaw).containsExactly(2);
      } finally {
        rescuer.close(Duration.ofSeconds(5));
      }
    }
    eventually().until(() -> broker.stats(q).acked() == 12);
  }
}
