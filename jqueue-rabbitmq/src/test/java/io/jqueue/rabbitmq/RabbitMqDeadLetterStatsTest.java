package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dead-lettered count and the DLQ depth agree in every stats snapshot, also while a move into
 * the DLQ is slow (as on quorum queues, whose confirms wait for a Raft commit). The move is stalled
 * here by telling the client its publishing connection is blocked: only the connections made
 * through the proxy see that; RabbitMQ itself and every other connection are untouched.
 */
class RabbitMqDeadLetterStatsTest {
  private FaultProxy proxy;
  private RabbitMqBroker broker;
  private String q;
  private final CountDownLatch fail = new CountDownLatch(1);

  @BeforeEach
  void open() throws Exception {
    proxy = new FaultProxy(5672);
    broker =
        RabbitMqBroker.connect(
            RabbitMqTestSupport.config()
                .uri(proxy.uri())
                .connectionName("jqueue-test-dlq-stats")
                .operationTimeout(Duration.ofSeconds(10))
                .build());
    q = "dlq-stats-" + System.nanoTime();
  }

  @AfterEach
  void close() throws Exception {
    fail.countDown();
    try {
      proxy.injectToAll(FaultProxy.connectionUnblocked());
    } catch (IOException e) {
      // already gone
    }
    try {
      broker.close(Duration.ofSeconds(5));
    } finally {
      proxy.close();
      try (com.rabbitmq.client.Connection c = RabbitMqPublishingTest.plainConnection()) {
        com.rabbitmq.client.Channel ch = c.createChannel();
        for (String name : List.of(q, q + ".dlq", q + ":retry", q + ":expired")) {
          ch.queueDelete(name);
        }
      }
    }
  }

  @Test
  @DisplayName(
      "a stats snapshot taken while a dead letter's move is under way never counts it without"
          + " the DLQ depth")
  void deadLetteredNeverAheadOfTheDlqDepth() throws Exception {
    broker.declareQueue(QueueSpec.builder(q).maxRetries(1).build());
    broker.subscribe(
        q,
        ConsumerOptions.builder().id("fails").build(),
        d -> {
          fail.await();
          throw new IllegalStateException("fails on purpose");
        });
    broker.publisher().publish(Message.builder().topic(q).text("doomed").build());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> broker.stats(q).inFlight() == 1);

    proxy.injectToAll(FaultProxy.connectionBlocked("test: a slow dead-letter move"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(broker::publishingBlocked);
    fail.countDown();
    // the handler failed its last attempt: the move into the DLQ started and waits for the block
    QueueRuntime rt = broker.runtime(q);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rt.deadLettered.sum() == 1);

    CompletableFuture<QueueStats> during = CompletableFuture.supplyAsync(() -> broker.stats(q));
    // while the move is stalled, a snapshot either waits for it or does not count it yet
    Awaitility.await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              if (during.isDone()) {
                QueueStats snapshot = during.join();
                assertThat(snapshot.deadLettered())
                    .as("dead-lettered in a snapshot taken during the move")
                    .isEqualTo(snapshot.dlqDepth());
              }
            });
    proxy.injectToAll(FaultProxy.connectionUnblocked());

    QueueStats s = during.get(15, TimeUnit.SECONDS);
    assertThat(s.deadLettered()).as("dead-lettered in the snapshot").isEqualTo(s.dlqDepth());
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> broker.stats(q).deadLettered() == 1);
    assertThat(broker.stats(q).dlqDepth()).isEqualTo(1);
  }
}
