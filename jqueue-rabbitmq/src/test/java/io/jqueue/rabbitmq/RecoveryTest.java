package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jqueue.ConsumerOptions;
import io.jqueue.Health;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Connection losses under load: publishers and consumers must ride over them by themselves, every
 * confirmed message must be consumed at least once, and no publish may wait past its timeout; and
 * the broker's health says so while it happens. Closes every connection of the server: runs alone.
 */
class RecoveryTest {
  private static final int PUBLISHERS = 4;
  private static final int PER_PUBLISHER = 5_000;
  private static final int TOTAL = PUBLISHERS * PER_PUBLISHER;
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);
  private static final int[] KILL_AT = {3_000, 9_000};

  @Test
  @DisplayName(
      "20000 confirmed messages survive two forced connection losses: each is consumed, no"
          + " publish waits past its timeout, consumers resume by themselves")
  void survivesConnectionLosses() throws Exception {
    assumeTrue(rabbitmqctlAvailable(), "rabbitmqctl is not on the PATH: cannot force a loss");
    String q = "recovery-" + UUID.randomUUID().toString().substring(0, 8);
    ExecutorService threads = Executors.newFixedThreadPool(PUBLISHERS + 1);
    try (RabbitMqBroker broker = RabbitMqBroker.connect(RabbitMqTestSupport.config().build())) {
      broker.declareQueue(QueueSpec.builder(q).visibilityTimeout(Duration.ofSeconds(60)).build());
      Map<String, AtomicInteger> consumed = new ConcurrentHashMap<>();
      Subscription sub =
          broker.subscribe(
              q,
              ConsumerOptions.builder().id("recovering").concurrency(4).prefetch(200).build(),
              d ->
                  consumed
                      .computeIfAbsent(d.message().id(), k -> new AtomicInteger())
                      .incrementAndGet());
      Set<String> confirmed = ConcurrentHashMap.newKeySet();
      AtomicInteger kills = new AtomicInteger();
      AtomicInteger failedAttempts = new AtomicInteger();
      AtomicLong slowestPublishMillis = new AtomicLong();
      AtomicInteger consumedAtLastKill = new AtomicInteger();
      Publisher publisher = broker.publisher();

      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < PUBLISHERS; t++) {
        running.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < PER_PUBLISHER; i++) {
                    paceAroundKills(confirmed.size(), kills.get());
                    Message m = Message.builder().topic(q).text("m").build();
                    while (true) { // the application's retry: publish until confirmed
                      long start = System.nanoTime();
                      try {
                        publisher.publish(m, PUBLISH_TIMEOUT);
                        confirmed.add(m.id());
                        break;
                      } catch (JQueueException e) {
                        failedAttempts.incrementAndGet();
                      } finally {
                        slowestPublishMillis.accumulateAndGet(
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
                      }
                    }
                  }
                  return null;
                }));
      }
      Future<?> killer =
          threads.submit(
              () -> {
                for (int killAt : KILL_AT) {
                  Awaitility.await()
                      .atMost(Duration.ofMinutes(2))
                      .pollInterval(Duration.ofMillis(20))
                      .until(() -> confirmed.size() >= killAt);
                  closeAllConnections();
                  kills.incrementAndGet();
                  consumedAtLastKill.set(consumed.size());
                }
                return null;
              });
      for (Future<?> f : running) {
        f.get(5, TimeUnit.MINUTES);
      }
      killer.get(1, TimeUnit.MINUTES);

      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> consumed.keySet().containsAll(confirmed));
      long duplicates = consumed.values().stream().mapToInt(n -> n.get() - 1).sum();
      System.out.printf(
          "recovery: %d confirmed, %d consumed (%d duplicate deliveries), %d publish attempts"
              + " failed and were retried, slowest publish %d ms, %d forced connection losses%n",
          confirmed.size(),
          consumed.size(),
          duplicates,
          failedAttempts.get(),
          slowestPublishMillis.get(),
          kills.get());

      assertThat(kills.get()).isEqualTo(2);
      assertThat(confirmed).hasSize(TOTAL);
      assertThat(consumed.keySet()).containsAll(confirmed);
      assertThat(slowestPublishMillis.get())
          .as("no publish waits past its timeout (plus scheduling slack)")
          .isLessThanOrEqualTo(PUBLISH_TIMEOUT.toMillis() + 1_000);
      assertThat(consumed.size())
          .as("the consumer resumed after the last loss")
          .isGreaterThan(consumedAtLastKill.get());
      assertThat(sub.isActive()).isTrue();
      broker.deleteQueue(q);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "a forced connection loss makes the broker's health DOWN while it recovers, then UP, and"
          + " tells its listeners so in that order")
  void healthFollowsForcedConnectionLoss() throws Exception {
    assumeTrue(rabbitmqctlAvailable(), "rabbitmqctl is not on the PATH: cannot force a loss");
    List<Health> changes = new CopyOnWriteArrayList<>();
    try (RabbitMqBroker broker = RabbitMqBroker.connect(RabbitMqTestSupport.config().build())) {
      broker.onHealthChange((previous, current) -> changes.add(current));
      assertThat(broker.health()).isEqualTo(Health.up());

      closeAllConnections();

      Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !changes.isEmpty());
      assertThat(changes.get(0).status()).isEqualTo(Health.Status.DOWN);
      assertThat(changes.get(0).reason()).contains("lost").contains("recovering");
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> broker.health().isUp() && changes.get(changes.size() - 1).isUp());
      String q = "recovery-health-" + UUID.randomUUID().toString().substring(0, 8);
      broker.declareQueue(QueueSpec.builder(q).build());
      try {
        broker.publisher().publish(Message.builder().topic(q).text("after the loss").build());
        assertThat(broker.publisher().health()).isEqualTo(Health.up());
      } finally {
        broker.deleteQueue(q);
      }
    }
  }

  /** Publishers slow down near each kill point so the loss lands mid-stream, not after it. */
  private static void paceAroundKills(int confirmed, int kills) {
    if (kills < KILL_AT.length && confirmed >= KILL_AT[kills]) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeAllConnections() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("rabbitmqctl", "close_all_connections", "test")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("rabbitmqctl close_all_connections").isZero();
  }

  private static boolean rabbitmqctlAvailable() {
    try {
      Process p = new ProcessBuilder("rabbitmqctl", "--help").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
