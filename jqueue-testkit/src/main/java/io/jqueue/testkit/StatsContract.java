package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.Capability;
import io.jqueue.ConsumerOptions;
import io.jqueue.LatencySummary;
import io.jqueue.QueueStats;
import io.jqueue.SubscriberStats;
import io.jqueue.metrics.BrokerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    if (broker.capabilities().supports(Capability.OLDEST_MESSAGE_AGE)) {
      eventually().until(() -> broker.stats(q).oldestMessageAge().toMillis() >= 100);
    }
    QueueStats s = broker.stats(q);
    assertThat(s.ready()).isEqualTo(3);
    assertThat(s.inFlight()).isZero();
  }

  @Test
  @DisplayName("stats give enqueue-to-ack latency percentiles")
  void latencyPercentiles() {
    assumeSupports(Capability.LATENCY_STATS);
    String q = declare(queue("orders"));
    CountDownLatch allPublished = new CountDownLatch(1);
    broker.subscribe(
        q,
        ConsumerOptions.builder().concurrency(1).build(),
        d -> {
          allPublished.await();
          Thread.sleep(20);
        });

    publishTexts(q, "m", 10);
    allPublished.countDown();

    eventually().until(() -> broker.stats(q).acked() == 10);
    LatencySummary latency = broker.stats(q).latency();
    assertThat(latency.count()).isEqualTo(10);
    assertThat(latency.p50()).isLessThanOrEqualTo(latency.p95());
    assertThat(latency.p95()).isLessThanOrEqualTo(latency.p99());
    assertThat(latency.p99()).isLessThanOrEqualTo(latency.max());
    // All ten were enqueued before the first handler went on, and each handler then took at
    // least 20 ms, one after another: the k-th waited at least k * 20 ms. The bounds below leave
    // tens of milliseconds for clock granularity, so a loaded machine cannot break them.
    assertThat(latency.p50()).isGreaterThanOrEqualTo(Duration.ofMillis(60));
    assertThat(latency.max()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  @DisplayName(
      "a handler throwing StackOverflowError or OutOfMemoryError counts as a subscriber error and"
          + " is retried")
  void virtualMachineErrorsAreCounted() {
    String q = declare(queue("orders").maxRetries(3).backoff(Backoff.none()));
    Recorder seen = new Recorder();
    broker.subscribe(
        q,
        ConsumerOptions.builder().id("fragile").build(),
        d -> {
          seen.record(d);
          if (d.attempt() == 1) {
            throw new StackOverflowError("deep recursion (test)");
          }
          if (d.attempt() == 2) {
            throw new OutOfMemoryError("no heap left (test)");
          }
        });

    publisher.publish(text(q, "m"));

    eventually().until(() -> broker.stats(q).acked() == 1);
    assertThat(seen.all()).extracting(Recorder.Seen::attempt).containsExactly(1, 2, 3);
    eventually()
        .untilAsserted(
            () ->
                assertThat(broker.stats(q).subscribers())
                    .singleElement()
                    .satisfies(
                        s -> {
                          assertThat(s.errors()).isEqualTo(2);
                          assertThat(s.processed()).isEqualTo(1);
                        }));
    assertThat(broker.stats(q).failed()).isEqualTo(2);
  }

  @Test
  @DisplayName("every statistic is exported as a Micrometer meter tagged with the queue")
  void micrometerExport() {
    String q = declare(queue("orders").maxRetries(1));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BrokerMetrics metrics = new BrokerMetrics(broker, Duration.ZERO);
    metrics.bindTo(registry);
    broker.subscribe(
        q,
        ConsumerOptions.builder().id("worker").build(),
        d -> {
          if (d.text().equals("bad")) {
            throw new IllegalStateException("bad");
          }
        });
    metrics.refresh(); // the new consumer gets its meters
    publishTexts(q, "good", 3);
    publisher.publish(text(q, "bad"));

    eventually().until(() -> broker.stats(q).acked() == 3 && broker.stats(q).deadLettered() == 1);
    assertThat(registry.get("jqueue.queue.published").tag("queue", q).functionCounter().count())
        .isEqualTo(4);
    assertThat(registry.get("jqueue.queue.acked").tag("queue", q).functionCounter().count())
        .isEqualTo(3);
    assertThat(registry.get("jqueue.queue.failed").tag("queue", q).functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("jqueue.queue.dead.lettered").tag("queue", q).functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("jqueue.queue.dlq.depth").tag("queue", q).gauge().value()).isEqualTo(1);
    assertThat(registry.get("jqueue.queue.depth").tag("queue", q).gauge().value()).isZero();
    assertThat(
            registry
                .get("jqueue.consumer.processed")
                .tags("queue", q, "consumer", "worker")
                .functionCounter()
                .count())
        .isEqualTo(3);
    assertThat(
            registry
                .get("jqueue.consumer.errors")
                .tags("queue", q, "consumer", "worker")
                .functionCounter()
                .count())
        .isEqualTo(1);
    if (broker.capabilities().supports(Capability.LATENCY_STATS)) {
      assertThat(
              registry
                  .get("jqueue.queue.latency.max")
                  .tag("queue", q)
                  .timeGauge()
                  .value(TimeUnit.NANOSECONDS))
          .isPositive();
    }

    broker.deleteQueue(q);
    metrics.refresh();
    assertThat(registry.find("jqueue.queue.depth").tag("queue", q).gauge()).isNull();
    assertThat(registry.find("jqueue.consumer.processed").tag("queue", q).functionCounter())
        .isNull();
    metrics.close();
  }
}
