package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 retries: exact attempts, scheduled backoff, dead-lettering after the last attempt. */
public abstract class RetryContract extends ContractSupport {

  /** The error the always-failing handlers throw. */
  public static final class PaymentGatewayTimeout extends RuntimeException {
    /** Creates the error. */
    public PaymentGatewayTimeout(String message) {
      super(message);
    }
  }

  @Test
  @DisplayName(
      "a message failing every time with maxRetries(3) is handled exactly 3 times, then sits in"
          + " <queue>.dlq with reason, last error and attempt count")
  void failingMessageIsDeadLetteredAfterMaxRetries() {
    String q = declare(queue("orders").maxRetries(3).backoff(Backoff.fixed(Duration.ofMillis(20))));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          throw new PaymentGatewayTimeout("gateway timed out on attempt " + d.attempt());
        });
    Instant before = Instant.now();

    publisher.publish(text(q, "order-1"));

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    // give a wrong implementation the chance to deliver a 4th time before counting
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> seen.count() == 3);
    assertThat(seen.all()).extracting(Recorder.Seen::attempt).containsExactly(1, 2, 3);

    List<DeadLetter> dead = broker.deadLetters(q).peek(10);
    assertThat(dead).hasSize(1);
    DeadLetter d = dead.get(0);
    assertThat(d.message().text()).isEqualTo("order-1");
    assertThat(d.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
    assertThat(d.errorClass()).isEqualTo(PaymentGatewayTimeout.class.getName());
    assertThat(d.errorMessage()).isEqualTo("gateway timed out on attempt 3");
    assertThat(d.attempts()).isEqualTo(3);
    assertThat(d.originalQueue()).isEqualTo(q);
    assertThat(d.firstEnqueuedAt())
        .hasValueSatisfying(t -> assertThat(t).isAfter(before.minusSeconds(1)));
    assertThat(d.deadLetteredAt())
        .hasValueSatisfying(t -> assertThat(t).isAfter(before.minusSeconds(1)));
    assertThat(broker.deadLetters(q).queue()).isEqualTo(q + ".dlq");

    // the DLQ can show the copy a moment before the move's confirm is back, and a broker may
    // count a dead letter only once its move landed (never one the DLQ depth misses)
    QueueStats stats = eventually().until(() -> broker.stats(q), s -> s.deadLettered() == 1);
    assertThat(stats.failed()).isEqualTo(3);
    assertThat(stats.retried()).isEqualTo(2);
    assertThat(stats.deadLettered()).isEqualTo(1);
    assertThat(stats.dlqDepth()).isEqualTo(1);
    assertThat(stats.size()).isZero();
  }

  @Test
  @DisplayName(
      "retry() without arguments counts a failed attempt, waits the queue's backoff, and"
          + " dead-letters after the last attempt")
  void retryWithoutArguments() {
    String q =
        declare(queue("orders").maxRetries(3).backoff(Backoff.fixed(Duration.ofMillis(300))));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          d.retry();
        });

    publisher.publish(text(q, "again"));

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(seen.all()).extracting(Recorder.Seen::attempt).containsExactly(1, 2, 3);
    for (int i = 1; i < 3; i++) {
      assertThat(Duration.between(seen.all().get(i - 1).at(), seen.all().get(i).at()))
          .as("the backoff before attempt %d", i + 1)
          .isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
    assertThat(dead.attempts()).isEqualTo(3);
    QueueStats s = broker.stats(q);
    assertThat(s.failed()).isEqualTo(3);
    assertThat(s.retried()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "with concurrency(1) and a 1 s backoff, other messages are handled during the backoff")
  void backoffDoesNotBlockTheWorker() {
    String q = declare(queue("orders").maxRetries(2).backoff(Backoff.fixed(Duration.ofSeconds(1))));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        ConsumerOptions.builder().concurrency(1).build(),
        d -> {
          seen.record(d);
          if (d.text().equals("flaky") && d.attempt() == 1) {
            throw new IllegalStateException("first attempt fails");
          }
        });

    publisher.publish(text(q, "flaky"));
    publishTexts(q, "other", 5);

    eventually().until(() -> broker.stats(q).acked() == 6);
    List<String> order = seen.texts();
    assertThat(order).hasSize(7);
    assertThat(order.get(0)).isEqualTo("flaky");
    assertThat(order.subList(1, 6))
        .containsExactly("other-0", "other-1", "other-2", "other-3", "other-4");
    assertThat(order.get(6)).isEqualTo("flaky");
    Instant failedAt = seen.all().get(0).at();
    Instant retriedAt = seen.all().get(6).at();
    assertThat(seen.all().get(5).at()).isBefore(failedAt.plusSeconds(1));
    assertThat(Duration.between(failedAt, retriedAt))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  @DisplayName("a message that fails twice and then succeeds is acknowledged, not dead-lettered")
  void recoversOnThirdAttempt() {
    String q = declare(queue("orders").maxRetries(3).backoff(Backoff.none()));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          if (d.attempt() < 3) {
            throw new IllegalStateException("not yet");
          }
        });

    publisher.publish(text(q, "eventually fine"));

    eventually().until(() -> broker.stats(q).acked() == 1);
    assertThat(seen.all()).extracting(Recorder.Seen::attempt).containsExactly(1, 2, 3);
    assertThat(broker.deadLetters(q).count()).isZero();
  }

  @Test
  @DisplayName("retry(delay) counts an attempt and redelivers after that delay")
  void explicitRetryDelay() {
    String q = declare(queue("orders").maxRetries(3).backoff(Backoff.none()));
    publisher.publish(text(q, "later"));
    Delivery first = broker.receive(q, 1, Duration.ofSeconds(5)).get(0);
    Instant retriedAt = Instant.now();

    first.retry(Duration.ofMillis(400));

    assertThat(broker.stats(q).delayed() + broker.stats(q).ready()).isEqualTo(1);
    List<Delivery> again = broker.receive(q, 1, Duration.ofSeconds(10));
    assertThat(again).hasSize(1);
    assertThat(Duration.between(retriedAt, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(350));
    assertThat(again.get(0).attempt()).isEqualTo(2);
    again.get(0).ack();
  }

  @Test
  @DisplayName("fail(error) on the last attempt dead-letters with that error")
  void pulledFailureDeadLetters() {
    String q = declare(queue("orders").maxRetries(1));
    publisher.publish(text(q, "once only"));
    Delivery d = broker.receive(q, 1, Duration.ofSeconds(5)).get(0);

    d.fail(new IllegalArgumentException("bad card"));

    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
    assertThat(dead.errorMessage()).isEqualTo("bad card");
    assertThat(dead.attempts()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "an expired lease counts as an attempt: a handler that always hangs is dead-lettered")
  void expiredLeasesCountAsAttempts() {
    String q = declare(queue("orders").maxRetries(2).visibilityTimeout(Duration.ofMillis(300)));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        ConsumerOptions.builder().concurrency(2).build(),
        d -> {
          seen.record(d);
          sleepUninterruptedFor(Duration.ofSeconds(5));
        });

    publisher.publish(text(q, "hangs"));

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(seen.count()).isEqualTo(2);
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
    assertThat(dead.attempts()).isEqualTo(2);
    assertThat(dead.errorMessage()).contains("visibility timeout");
  }

  @Test
  @DisplayName("exponential backoff waits longer after each failure")
  void exponentialBackoff() {
    String q =
        declare(
            queue("orders")
                .maxRetries(4)
                .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5))));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        d -> {
          seen.record(d);
          throw new IllegalStateException("again");
        });

    publisher.publish(text(q, "backoff"));

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    List<Recorder.Seen> all = seen.all();
    assertThat(all).hasSize(4);
    assertThat(Duration.between(all.get(0).at(), all.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(90));
    assertThat(Duration.between(all.get(1).at(), all.get(2).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(190));
    assertThat(Duration.between(all.get(2).at(), all.get(3).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(390));
  }
}
