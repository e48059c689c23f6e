package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Backoff;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetterReason;
import io.jqueue.Message;
import io.jqueue.PublishTimeoutException;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A blocked or stalled publishing connection, simulated by a proxy that touches only this test's
 * connections: publishes stay bounded by their deadlines, nothing loops, and recovery clears the
 * block.
 */
class BlockedConnectionTest {
  private FaultProxy proxy;
  private RabbitMqBroker broker;
  private String q;

  @BeforeEach
  void open() throws Exception {
    proxy = new FaultProxy(5672);
    broker =
        RabbitMqBroker.connect(
            RabbitMqTestSupport.config()
                .uri(proxy.uri())
                .connectionName("jqueue-test-blocked")
                .operationTimeout(Duration.ofSeconds(1))
                .build());
    q = "blocked-" + System.nanoTime();
  }

  @AfterEach
  void close() throws Exception {
    proxy.pauseUpstream(false);
    try {
      proxy.injectToAll(FaultProxy.connectionUnblocked());
    } catch (java.io.IOException e) {
      // already dropped
    }
    broker.close(Duration.ofSeconds(2));
    proxy.close();
    try (com.rabbitmq.client.Connection c = RabbitMqPublishingTest.plainConnection()) {
      com.rabbitmq.client.Channel ch = c.createChannel();
      for (String name : List.of(q, q + ".dlq", q + ":retry", q + ":expired")) {
        ch.queueDelete(name);
      }
      // delay queues of the default backoff's steps (handlers interrupted by close retry)
      for (long ms = 100; ms <= 300_000; ms *= 2) {
        ch.queueDelete(Topology.delayQueue(q, Topology.delayBucket(ms)));
      }
    }
  }

  private Message msg() {
    return Message.builder().topic(q).text("x").build();
  }

  private void block() throws Exception {
    proxy.injectToAll(FaultProxy.connectionBlocked("test: simulated disk alarm"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(broker::publishingBlocked);
  }

  @Test
  @DisplayName(
      "a blocked publish fails at its deadline; after a connection loss publishing resumes")
  void blockClearsWithRecovery() throws Exception {
    broker.declareQueue(QueueSpec.builder(q).build());
    Publisher pub = broker.publisher();
    pub.publish(msg(), Duration.ofSeconds(2));
    block();

    assertThatThrownBy(() -> pub.publish(msg(), Duration.ofMillis(500)))
        .isInstanceOf(PublishTimeoutException.class)
        .hasMessageContaining("blocked");

    // the node restarts (or the network drops): RabbitMQ never unblocks a connection that is
    // gone, and the recovered one starts unblocked
    proxy.dropAll();
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(() -> pub.publish(msg(), Duration.ofSeconds(1)));
    assertThat(broker.publishingBlocked()).isFalse();
  }

  @Test
  @DisplayName("a publish the broker stops reading never waits much past its deadline")
  void stalledSocketWriteIsBounded() throws Exception {
    broker.declareQueue(QueueSpec.builder(q).build());
    Publisher pub = broker.publisher();
    pub.publish(msg(), Duration.ofSeconds(2));
    byte[] almostOneMib = new byte[1024 * 1024 - 1024];
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      proxy.pauseUpstream(true); // the broker stops reading this connection
      long worstNanos = 0;
      for (int i = 0; i < 40; i++) {
        Message m = Message.builder().topic(q).payload(almostOneMib).build();
        long start = System.nanoTime();
        Future<?> f =
            ex.submit(
                () -> {
                  try {
                    pub.publish(m, Duration.ofMillis(500));
                  } catch (RuntimeException e) {
                    // a PublishTimeoutException or BrokerUnavailableException is the point
                  }
                });
        f.get(5, TimeUnit.SECONDS); // throws TimeoutException, failing the test, if it hangs
        worstNanos = Math.max(worstNanos, System.nanoTime() - start);
      }
      assertThat(Duration.ofNanos(worstNanos))
          .as("longest publish(m, 500ms) while the broker did not read")
          .isLessThan(Duration.ofSeconds(2));
    } finally {
      proxy.dropAll();
      ex.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "while a failed attempt cannot be moved on, its handler does not run again; once it can,"
          + " the attempts continue where they were")
  void failedMoveDoesNotLoop() throws Exception {
    broker.declareQueue(QueueSpec.builder(q).maxRetries(2).backoff(Backoff.none()).build());
    broker.publisher().publish(msg(), Duration.ofSeconds(2));
    block();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    broker.subscribe(
        q,
        ConsumerOptions.builder().id("declines").build(),
        d -> {
          attempts.add(d.attempt());
          throw new IllegalStateException("payment declined");
        });

    // the retry copy cannot be published while blocked: the handler must not run again
    Awaitility.await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> attempts.size() <= 1);
    proxy.injectToAll(FaultProxy.connectionUnblocked());

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> broker.deadLetters(q).count() == 1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(broker.deadLetters(q).peek(1).get(0).reason())
        .isEqualTo(DeadLetterReason.MAX_RETRIES);
  }

  @Test
  @DisplayName("broker.close stays bounded with handlers running while publishing is blocked")
  void closeStaysBoundedWhileBlocked() throws Exception {
    broker.declareQueue(QueueSpec.builder(q).build());
    Publisher pub = broker.publisher();
    for (int i = 0; i < 3; i++) {
      pub.publish(msg(), Duration.ofSeconds(2));
    }
    CountDownLatch running = new CountDownLatch(3);
    broker.subscribe(
        q,
        ConsumerOptions.builder().id("slow").concurrency(3).build(),
        d -> {
          running.countDown();
          Thread.sleep(60_000); // interrupted by close
        });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    block();
    long start = System.nanoTime();

    broker.close(Duration.ofMillis(500));

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("broker.close(500ms) with operationTimeout=1s")
        .isLessThan(Duration.ofMillis(2500));
  }
}
