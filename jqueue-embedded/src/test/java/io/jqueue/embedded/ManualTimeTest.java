package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.Broker;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.time.ManualTimeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** TTL, leases, backoff and the stats report under a clock the test moves itself. */
class ManualTimeTest {
  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
  private final Broker broker =
      EmbeddedBroker.create(
          EmbeddedConfig.builder().timeSource(time).statsReportInterval(Duration.ZERO).build());
  private final Publisher publisher = broker.publisher();

  @AfterEach
  void close() {
    broker.close(Duration.ofSeconds(5));
  }

  private void publish(String queue, String text) {
    publisher.publish(Message.builder().topic(queue).text(text).build());
  }

  @Test
  @DisplayName("a message expires exactly at its queue TTL and is dead-lettered by the sweep")
  void ttlToTheMillisecond() {
    broker.declareQueue(QueueSpec.builder("orders").messageTtl(Duration.ofMinutes(5)).build());
    publish("orders", "o-1");

    time.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(broker.stats("orders").ready()).isEqualTo(1);
    assertThat(broker.deadLetters("orders").count()).isZero();

    time.advance(Duration.ofSeconds(1)); // the next sweep runs within a second
    assertThat(broker.stats("orders").ready()).isZero();
    assertThat(broker.stats("orders").expired()).isEqualTo(1);
    assertThat(broker.deadLetters("orders").peek(1).get(0).reason())
        .isEqualTo(DeadLetterReason.EXPIRED);
  }

  @Test
  @DisplayName("an expired message is never delivered, even before the sweep runs")
  void expiredNotDelivered() {
    broker.declareQueue(QueueSpec.builder("orders").messageTtl(Duration.ofMillis(1500)).build());
    publish("orders", "stale");
    publish("orders", "fresh-later");
    time.advance(Duration.ofMillis(400)); // the first sweep is due at 1 s
    publisher.publish(
        Message.builder().topic("orders").text("short").ttl(Duration.ofMillis(100)).build());

    time.advance(Duration.ofMillis(200)); // "short" is past its message TTL, no sweep yet

    List<Delivery> got = broker.receive("orders", 10, Duration.ZERO);
    assertThat(got).extracting(Delivery::text).containsExactly("stale", "fresh-later");
    assertThat(broker.stats("orders").expired()).isEqualTo(1);
  }

  @Test
  @DisplayName("a lease ends exactly at the visibility timeout")
  void leaseExpiresOnTime() {
    broker.declareQueue(
        QueueSpec.builder("orders").visibilityTimeout(Duration.ofSeconds(30)).build());
    publish("orders", "o-1");
    Delivery first = broker.receive("orders", 1, Duration.ZERO).get(0);
    assertThat(first.deadline()).isEqualTo(time.now().plusSeconds(30));

    time.advance(Duration.ofSeconds(30).minusMillis(1));
    assertThat(broker.receive("orders", 1, Duration.ZERO)).isEmpty();

    time.advance(Duration.ofMillis(1));
    List<Delivery> again = broker.receive("orders", 1, Duration.ZERO);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).attempt()).isEqualTo(2);
    assertThat(first.isSettled()).isTrue();
  }

  @Test
  @DisplayName("extendLease moves the deadline to now plus the extension")
  void extendLease() {
    broker.declareQueue(
        QueueSpec.builder("orders").visibilityTimeout(Duration.ofSeconds(30)).build());
    publish("orders", "o-1");
    Delivery d = broker.receive("orders", 1, Duration.ZERO).get(0);
    time.advance(Duration.ofSeconds(20));

    d.extendLease(Duration.ofSeconds(60));

    assertThat(d.deadline()).isEqualTo(time.now().plusSeconds(60));
    time.advance(Duration.ofSeconds(59));
    assertThat(d.isSettled()).isFalse();
    time.advance(Duration.ofSeconds(1));
    assertThat(d.isSettled()).isTrue();
  }

  @Test
  @DisplayName("retries wait exactly the exponential backoff, capped at its max")
  void exponentialBackoffSchedule() {
    broker.declareQueue(
        QueueSpec.builder("orders")
            .maxRetries(5)
            .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(300)))
            .build());
    publish("orders", "o-1");
    long[] expected = {100, 200, 300, 300};

    for (int attempt = 1; attempt <= 4; attempt++) {
      Delivery d = broker.receive("orders", 1, Duration.ZERO).get(0);
      assertThat(d.attempt()).isEqualTo(attempt);
      d.fail(new IllegalStateException("attempt " + attempt));
      assertThat(broker.stats("orders").delayed()).isEqualTo(1);

      time.advance(Duration.ofMillis(expected[attempt - 1] - 1));
      assertThat(broker.receive("orders", 1, Duration.ZERO)).as("attempt %d", attempt).isEmpty();
      time.advance(Duration.ofMillis(1));
      assertThat(broker.stats("orders").ready()).isEqualTo(1);
    }
    broker.receive("orders", 1, Duration.ZERO).get(0).fail(new IllegalStateException("last"));
    assertThat(broker.deadLetters("orders").peek(1).get(0).attempts()).isEqualTo(5);
  }

  @Test
  @DisplayName("oldest message age follows the clock")
  void oldestAge() {
    broker.declareQueue(QueueSpec.builder("orders").build());
    publish("orders", "o-1");
    time.advance(Duration.ofSeconds(42));
    publish("orders", "o-2");

    assertThat(broker.stats("orders").oldestMessageAge()).isEqualTo(Duration.ofSeconds(42));
  }

  @Test
  @DisplayName("the periodic stats report logs every queue's figures at the configured interval")
  void periodicReport() {
    ManualTimeSource clock = new ManualTimeSource();
    Broker reporting =
        EmbeddedBroker.create(
            EmbeddedConfig.builder()
                .timeSource(clock)
                .statsReportInterval(Duration.ofSeconds(30))
                .build());
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      reporting.declareQueue(QueueSpec.builder("reported").build());
      reporting.publisher().publish(Message.builder().topic("reported").text("x").build());
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));

      clock.advance(Duration.ofSeconds(29));
      assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("queue statistics");
      clock.advance(Duration.ofSeconds(1));
      String first = captured.toString(StandardCharsets.UTF_8);
      clock.advance(Duration.ofSeconds(30));
      String second = captured.toString(StandardCharsets.UTF_8);

      assertThat(first).contains("queue statistics").containsPattern("reported +1 +0 +0 +1 ");
      assertThat(second.split("queue statistics", -1)).hasSize(3);
    } finally {
      System.setErr(original);
      reporting.close(Duration.ofSeconds(1));
    }
  }
}
