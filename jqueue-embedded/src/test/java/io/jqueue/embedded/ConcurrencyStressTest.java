package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.Broker;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetter;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Many publishers and consumers at once: nothing lost, nothing acknowledged twice. */
class ConcurrencyStressTest {

  @Test
  @DisplayName(
      "under concurrent publishing, consuming and failing, every message ends exactly once")
  void exactAccounting() throws Exception {
    int publishers = 4;
    int perPublisher = 2_500;
    int total = publishers * perPublisher;
    Broker broker =
        EmbeddedBroker.create(EmbeddedConfig.builder().statsReportInterval(Duration.ZERO).build());
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      broker.declareQueue(
          QueueSpec.builder("stress")
              .maxSize(500)
              .overflow(io.jqueue.OverflowPolicy.BLOCK)
              .maxRetries(3)
              .backoff(Backoff.fixed(Duration.ofMillis(1)))
              .build());
      Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
      AtomicInteger handled = new AtomicInteger();
      for (int c = 0; c < 3; c++) {
        broker.subscribe(
            "stress",
            ConsumerOptions.builder().id("c" + c).concurrency(4).prefetch(8).build(),
            d -> {
              handled.incrementAndGet();
              if (ThreadLocalRandom.current().nextInt(10) == 0) {
                throw new IllegalStateException("random failure");
              }
              successes
                  .computeIfAbsent(d.message().id(), k -> new AtomicInteger())
                  .incrementAndGet();
            });
      }
      Set<String> published = ConcurrentHashMap.newKeySet();
      List<Future<?>> running = new java.util.ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        Publisher publisher = broker.publisher();
        running.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perPublisher; i++) {
                    Message m = Message.builder().topic("stress").text("m").build();
                    publisher.publish(m, Duration.ofSeconds(30));
                    published.add(m.id());
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }

      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> broker.stats("stress").size() == 0);
      QueueStats stats = broker.stats("stress");
      Set<String> dead = new HashSet<>();
      for (DeadLetter d : broker.deadLetters("stress").peek(total)) {
        dead.add(d.message().id());
      }

      assertThat(published).hasSize(total);
      assertThat(successes.values()).allSatisfy(n -> assertThat(n.get()).isOne());
      assertThat(stats.acked()).isEqualTo(successes.size());
      assertThat(stats.acked() + stats.deadLettered()).isEqualTo(total);
      assertThat(dead)
          .hasSize((int) stats.deadLettered())
          .doesNotContainAnyElementsOf(successes.keySet());
      Set<String> accounted = new HashSet<>(successes.keySet());
      accounted.addAll(dead);
      assertThat(accounted).isEqualTo(published);
      assertThat(stats.inFlight()).isZero();
      assertThat(handled.get()).isEqualTo(stats.acked() + stats.failed());
    } finally {
      pool.shutdownNow();
      broker.close(Duration.ofSeconds(5));
    }
  }
}
