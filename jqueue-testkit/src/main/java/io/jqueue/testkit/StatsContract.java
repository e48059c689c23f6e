package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.Capability;
import io.jqueue.ConsumerOptions;
import io.jqueue.LatencySummary;
import io.jqueue.QueueStats;
import io.jqueue.SubscriberStats;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 statistics. */
public abstract class StatsContract extends ContractSupport {

  @Test
  @DisplayName("stats count published, acked, failed, retried and dead-lettered messages exactly")
  void countersAddUp() {
    String q = declare(queue("orders").maxRetries(2).backoff(Backoff.none()));
    broker.subscribe(
        q,
        ConsumerOptions.builder().id("worker").build(),
        d -> {
          if (d.text().startsWith("bad")) {
            throw new IllegalStateException("bad message");
          }
        });

    publishTexts(q, "good", 6);
    publishTexts(q, "bad", 2);

    eventually().until(() -> broker.stats(q).acked() == 6 && broker.stats(q).deadLettered() == 2);
    QueueStats s = broker.stats(q);
    assertThat(s.published()).isEqualTo(8);
    assertThat(s.failed()).isEqualTo(4);
    assertThat(s.retried()).isEqualTo(2);
    assertThat(s.dlqDepth()).isEqualTo(2);
    assertThat(s.size()).isZero();
    assertThat(s.oldestMessageAge()).isEqualTo(Duration.ZERO);
    SubscriberStats worker = s.subscribers().get(0);
    assertThat(worker.id()).isEqualTo("worker");
    assertThat(worker.processed()).isEqualTo(6);
    assertThat(worker.errors()).isEqualTo(4);
  }

  @Test
  @DisplayName("stats report depth and the age of the oldest waiting message")
  void depthAndAge() {
    String q = declare(queue("orders"));
    publishTexts(q, "m", 3);

    eventually().until(() -> broker.stats(q).oldestMessageAge().toMillis() >= 100);
    QueueStats s = broker.stats(q);
    assertThat(s.depth()).isEqualTo(3);
    assertThat(s.inFlight()).isZero();
  }

  @Test
  @DisplayName("stats give enqueue-to-ack latency percentiles")
  void latencyPercentiles() {
    assumeSupports(Capability.LATENCY_STATS);
    String q = declare(queue("orders"));
    broker.subscribe(q, d -> Thread.sleep(20));

    publishTexts(q, "m", 10);

    eventually().until(() -> broker.stats(q).acked() == 10);
    LatencySummary latency = broker.stats(q).latency();
    assertThat(latency.count()).isEqualTo(10);
    assertThat(latency.p50()).isGreaterThanOrEqualTo(Duration.ofMillis(19));
    assertThat(latency.p50()).isLessThanOrEqualTo(latency.p95());
    assertThat(latency.p95()).isLessThanOrEqualTo(latency.p99());
    assertThat(latency.p99()).isLessThanOrEqualTo(latency.max());
    // ten messages handled one after another: the last waited about ten handler times
    assertThat(latency.max()).isGreaterThanOrEqualTo(Duration.ofMillis(180));
  }
}
