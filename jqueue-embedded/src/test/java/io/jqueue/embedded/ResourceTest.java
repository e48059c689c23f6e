package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Broker;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Threads are released on every path, and a refusing executor loses nothing. */
class ResourceTest {

  private static long jqueueThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("jqueue-leakcheck"))
        .count();
  }

  @Test
  @DisplayName("closing the broker stops every thread it started")
  void noThreadsAfterClose() {
    Broker broker =
        EmbeddedBroker.create(
            EmbeddedConfig.builder().name("leakcheck").statsReportInterval(Duration.ZERO).build());
    broker.declareQueue(QueueSpec.builder("leakcheck-q").build());
    broker.subscribe(
        "leakcheck-q", ConsumerOptions.builder().concurrency(3).build(), d -> Thread.sleep(5));
    var publisher = broker.publisher();
    for (int i = 0; i < 20; i++) {
      publisher.publishAsync(Message.builder().topic("leakcheck-q").text("x").build()).join();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> broker.stats("leakcheck-q").acked() == 20);

    broker.close(Duration.ofSeconds(5));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        Thread.getAllStackTraces().keySet().stream()
                            .filter(Thread::isAlive)
                            .map(Thread::getName)
                            .filter(n -> n.startsWith("jqueue-")))
                    .noneMatch(n -> n.contains("leakcheck")));
    assertThat(jqueueThreads()).isZero();
  }

  @Test
  @DisplayName("a handler executor that refuses work returns the message to the queue")
  void refusingExecutorLosesNothing() {
    Broker broker =
        EmbeddedBroker.create(EmbeddedConfig.builder().statsReportInterval(Duration.ZERO).build());
    ExecutorService dead = Executors.newSingleThreadExecutor();
    dead.shutdown();
    try {
      broker.declareQueue(QueueSpec.builder("refused").build());
      var sub =
          broker.subscribe("refused", ConsumerOptions.builder().executor(dead).build(), d -> {});
      broker.publisher().publish(Message.builder().topic("refused").text("kept").build());
      assertThat(sub.isActive()).as("a consumer whose executor refuses stops").isFalse();
      sub.close(Duration.ofSeconds(1));

      assertThat(broker.stats("refused").ready()).isEqualTo(1);
      assertThat(broker.stats("refused").inFlight()).isZero();
      assertThat(broker.receive("refused", 1, Duration.ofSeconds(1)).get(0).attempt()).isOne();
    } finally {
      broker.close(Duration.ofSeconds(1));
    }
  }
}
