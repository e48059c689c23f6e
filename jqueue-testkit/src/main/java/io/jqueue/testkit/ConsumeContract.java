package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jqueue.Backoff;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.QueueStats;
import io.jqueue.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 competing consumers, concurrency, prefetch and handler outcomes. */
public abstract class ConsumeContract extends ContractSupport {

  /** A payload type for decoding tests. */
  public record Order(String id, int amount) {}

  @Test
  @DisplayName("competing subscribers each take messages, and each message is handled once")
  void competingConsumers() {
    String q = declare(queue("work"));
    Recorder seen = new Recorder();
    for (int i = 1; i <= 3; i++) {
      broker.subscribe(
          q,
          ConsumerOptions.builder().id("c" + i).build(),
          d -> {
            seen.record(d);
            Thread.sleep(2);
          });
    }

    publishTexts(q, "m", 60);

    eventually().until(() -> seen.count() >= 60);
    assertThat(seen.countsByText()).hasSize(60).allSatisfy((text, n) -> assertThat(n).isOne());
    assertThat(seen.all().stream().map(Recorder.Seen::consumerId).distinct().count())
        .isGreaterThanOrEqualTo(2);
    eventually().until(() -> broker.stats(q).acked() == 60);
  }

  @Test
  @DisplayName("concurrency(n) runs n handlers at once, never more")
  void concurrencyBound() throws Exception {
    String q = declare(queue("work"));
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    broker.subscribe(
        q,
        ConsumerOptions.builder().concurrency(4).build(),
        d -> {
          peak.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            release.await(10, TimeUnit.SECONDS);
          } finally {
            running.decrementAndGet();
          }
        });

    publishTexts(q, "m", 10);

    eventually().until(() -> running.get() == 4);
    org.awaitility.Awaitility.await()
        .during(java.time.Duration.ofMillis(200))
        .atMost(java.time.Duration.ofSeconds(2))
        .until(() -> running.get() == 4);
    release.countDown();
    eventually().until(() -> broker.stats(q).acked() == 10);
    assertThat(peak.get()).isEqualTo(4);
  }

  @Test
  @DisplayName("prefetch bounds how many unsettled messages a subscriber holds")
  void prefetchBound() {
    String q = declare(queue("work"));
    CountDownLatch release = new CountDownLatch(1);
    broker.subscribe(
        q,
        ConsumerOptions.builder().concurrency(1).prefetch(5).build(),
        d -> release.await(10, TimeUnit.SECONDS));

    publishTexts(q, "m", 20);

    eventually().until(() -> broker.stats(q).inFlight() == 5);
    QueueStats stats = broker.stats(q);
    assertThat(stats.ready()).isEqualTo(15);
    assertThat(stats.inFlight()).isEqualTo(5);
    release.countDown();
    eventually().until(() -> broker.stats(q).acked() == 20);
  }

  @Test
  @DisplayName("a handler that returns acknowledges: the message leaves the queue")
  void returnAcks() {
    String q = declare(queue("work"));
    Recorder seen = new Recorder();
    broker.subscribe(q, seen::record);

    publishTexts(q, "m", 3);

    eventually().until(() -> broker.stats(q).acked() == 3);
    QueueStats stats = broker.stats(q);
    assertThat(stats.ready()).isZero();
    assertThat(stats.inFlight()).isZero();
    assertThat(seen.all()).allSatisfy(s -> assertThat(s.attempt()).isOne());
  }

  @Test
  @DisplayName("data(Class) and data(TypeReference) decode the payload with the codec")
  void decodesPayload() {
    String q = declare(queue("orders"));
    List<Order> orders = Collections.synchronizedList(new ArrayList<>());
    List<Map<String, Object>> maps = Collections.synchronizedList(new ArrayList<>());
    broker.subscribe(
        q,
        d -> {
          orders.add(d.data(Order.class));
          maps.add(d.data(new TypeReference<Map<String, Object>>() {}));
        });

    publisher.publish(Message.builder().topic(q).data(new Order("o-1", 250)).build());

    eventually().until(() -> orders.size() == 1 && maps.size() == 1); // maps is added second
    assertThat(orders).containsExactly(new Order("o-1", 250));
    assertThat(maps.get(0)).containsEntry("id", "o-1").containsEntry("amount", 250);
  }

  @Test
  @DisplayName("handlers run on the executor the user supplies")
  void userExecutor() {
    String q = declare(queue("work"));
    ExecutorService executor =
        Executors.newFixedThreadPool(2, r -> new Thread(r, "user-pool-thread"));
    try {
      Recorder seen = new Recorder();
      broker.subscribe(
          q, ConsumerOptions.builder().concurrency(2).executor(executor).build(), seen::record);

      publishTexts(q, "m", 4);

      eventually().until(() -> seen.count() == 4);
      assertThat(seen.all()).allSatisfy(s -> assertThat(s.thread()).isEqualTo("user-pool-thread"));
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  @DisplayName("consume middlewares run in the order listed, first outermost, around the handler")
  void consumeMiddlewareOrder() {
    String q = declare(queue("work"));
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    ConsumeMiddleware outer =
        ConsumeMiddleware.named(
            "outer",
            (d, chain) -> {
              calls.add("outer>");
              chain.proceed(d);
              calls.add("<outer");
            });
    ConsumeMiddleware inner =
        ConsumeMiddleware.named(
            "inner",
            (d, chain) -> {
              calls.add("inner>");
              chain.proceed(d.withMessage(d.message().toBuilder().text("changed").build()));
              calls.add("<inner");
            });
    List<String> texts = Collections.synchronizedList(new ArrayList<>());
    broker.subscribe(
        q,
        ConsumerOptions.builder().middlewares(outer, inner).build(),
        d -> {
          calls.add("handler");
          texts.add(d.text());
        });

    publisher.publish(text(q, "original"));

    eventually().until(() -> broker.stats(q).acked() == 1);
    assertThat(calls).containsExactly("outer>", "inner>", "handler", "<inner", "<outer");
    assertThat(texts).containsExactly("changed");
  }

  @Test
  @DisplayName("closing one subscription leaves the others consuming")
  void closeOneOfMany() {
    String q = declare(queue("work"));
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    Subscription s1 =
        broker.subscribe(q, ConsumerOptions.builder().id("one").build(), first::record);
    broker.subscribe(q, ConsumerOptions.builder().id("two").build(), second::record);

    s1.close();
    assertThat(s1.isActive()).isFalse();
    publishTexts(q, "m", 5);

    eventually().until(() -> second.count() == 5);
    assertThat(first.count()).isZero();
  }

  @Test
  @DisplayName(
      "after proceed a middleware sees how the delivery ended: acked, failed, dead-lettered")
  void middlewareSeesOutcome() {
    String q = declare(queue("work").maxRetries(2).backoff(Backoff.fixed(Duration.ofMillis(10))));
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    ConsumeMiddleware observer =
        (d, chain) -> {
          try {
            chain.proceed(d);
          } finally {
            seen.add(d.text() + "=" + d.outcome().map(Enum::name).orElse("none"));
          }
        };
    broker.subscribe(
        q,
        ConsumerOptions.builder().middlewares(observer).build(),
        d -> {
          if (d.text().equals("bad")) {
            throw new IllegalStateException("bad");
          }
          if (d.text().equals("reject")) {
            d.deadLetter("not for us");
          }
        });

    publisher.publish(text(q, "good"));
    publisher.publish(text(q, "bad"));
    publisher.publish(text(q, "reject"));

    eventually().until(() -> seen.size() == 4);
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "good=ACKED", "bad=FAILED", "bad=FAILED", "reject=DEAD_LETTERED");
  }
}
