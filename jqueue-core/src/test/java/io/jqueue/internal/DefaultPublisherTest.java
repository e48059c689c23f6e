package io.jqueue.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BatchResult;
import io.jqueue.BrokerClosedException;
import io.jqueue.Health;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishOutcome;
import io.jqueue.PublishReceipt;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueFullException;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DefaultPublisherTest {
  /** Messages with this header make the sink wait for {@link #release}. */
  private static final String BLOCK = "block";

  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<String, String> sinkThreads = new ConcurrentHashMap<>();
  private final AtomicInteger closeCalls = new AtomicInteger();
  private final AtomicReference<Health> brokerHealth = new AtomicReference<>(Health.up());
  private DefaultPublisher publisher;

  /** Records the thread each message was sent on; blocks messages marked {@link #BLOCK}. */
  private final MessageSink sink =
      (message, deadline) -> {
        sinkThreads.put(message.id(), Thread.currentThread().getName());
        if (message.header(BLOCK).isPresent()) {
          entered.countDown();
          try {
            release.await(30, SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerClosedException("interrupted while sending", e);
          }
        }
        return new PublishReceipt(message.id(), message.topic(), Instant.now());
      };

  @AfterEach
  void tearDown() {
    release.countDown();
    if (publisher != null) {
      publisher.close(Duration.ofSeconds(5));
    }
  }

  private DefaultPublisher publisher(PublisherOptions.Builder options, MessageSink sink) {
    publisher =
        new DefaultPublisher(options.build(), sink, brokerHealth::get, closeCalls::incrementAndGet);
    return publisher;
  }

  private DefaultPublisher smallAsyncPool() {
    return publisher(
        PublisherOptions.builder().id("small").asyncConcurrency(1).asyncQueueCapacity(1), sink);
  }

  private static Message message() {
    return Message.builder().topic("orders").text("hi").build();
  }

  private static Message blocking() {
    return Message.builder().topic("orders").header(BLOCK, "yes").build();
  }

  @Test
  @DisplayName("publish runs the message through the pipeline, middlewares included")
  void publishUsesPipeline() {
    PublishMiddleware tag =
        (m, chain) -> chain.proceed(m.toBuilder().header("tagged", "1").build());
    AtomicReference<Message> received = new AtomicReference<>();
    DefaultPublisher p =
        publisher(
            PublisherOptions.builder().middlewares(tag),
            (m, deadline) -> {
              received.set(m);
              return new PublishReceipt(m.id(), m.topic(), Instant.now());
            });
    Message m = message();

    PublishReceipt receipt = p.publish(m);

    assertThat(receipt.messageId()).isEqualTo(m.id());
    assertThat(received.get().header("tagged")).contains("1");
  }

  @Test
  @DisplayName("publish gives the sink a deadline of now plus the default publish timeout")
  void defaultTimeout() {
    AtomicReference<Instant> deadline = new AtomicReference<>();
    DefaultPublisher p =
        publisher(
            PublisherOptions.builder().publishTimeout(Duration.ofSeconds(7)),
            (m, d) -> {
              deadline.set(d);
              return new PublishReceipt(m.id(), m.topic(), Instant.now());
            });

    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS); // deadlines count in ms
    p.publish(message());
    Instant after = Instant.now();

    assertThat(deadline.get()).isBetween(before.plusSeconds(7), after.plusSeconds(7));
  }

  @Test
  @DisplayName("a zero or negative publish timeout is refused")
  void invalidTimeout() {
    DefaultPublisher p = publisher(PublisherOptions.builder(), sink);

    assertThatThrownBy(() -> p.publish(message(), Duration.ZERO))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("timeout");
    assertThat(sinkThreads).isEmpty();
  }

  @Test
  @DisplayName("publishAsync completes with the receipt, published on a publisher thread")
  void publishAsyncCompletes() throws Exception {
    DefaultPublisher p = publisher(PublisherOptions.builder().id("async"), sink);
    Message m = message();

    PublishReceipt receipt = p.publishAsync(m).get(5, SECONDS);

    assertThat(receipt.messageId()).isEqualTo(m.id());
    assertThat(sinkThreads.get(m.id())).startsWith("jqueue-publish-async-");
  }

  @Test
  @DisplayName("publishAsync completes exceptionally with the sink's error")
  void publishAsyncFails() {
    DefaultPublisher p =
        publisher(
            PublisherOptions.builder(),
            (m, d) -> {
              throw new QueueFullException("orders", 10);
            });

    CompletableFuture<PublishReceipt> future = p.publishAsync(message());

    assertThatThrownBy(() -> future.get(5, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(QueueFullException.class);
  }

  @Test
  @DisplayName("when the async queue is full the caller runs the publish itself")
  void callerRunsWhenFull() throws Exception {
    DefaultPublisher p = smallAsyncPool();
    Message first = blocking();
    Message second = message();
    Message third = message();

    CompletableFuture<PublishReceipt> f1 = p.publishAsync(first);
    assertThat(entered.await(5, SECONDS)).as("worker entered the sink").isTrue();
    CompletableFuture<PublishReceipt> f2 = p.publishAsync(second); // waits in the queue
    CompletableFuture<PublishReceipt> f3 = p.publishAsync(third); // queue full: runs here

    assertThat(f3).isCompletedWithValueMatching(r -> r.messageId().equals(third.id()));
    assertThat(sinkThreads.get(third.id())).isEqualTo(Thread.currentThread().getName());
    assertThat(sinkThreads).doesNotContainKey(second.id());

    release.countDown();
    assertThat(f1.get(5, SECONDS).messageId()).isEqualTo(first.id());
    assertThat(f2.get(5, SECONDS).messageId()).isEqualTo(second.id());
    assertThat(sinkThreads.get(second.id())).startsWith("jqueue-publish-small-");
  }

  @Test
  @DisplayName(
      "close fails async publishes still queued when the timeout passes, then refuses more")
  void closeFailsQueued() throws Exception {
    DefaultPublisher p = smallAsyncPool();
    p.publishAsync(blocking());
    assertThat(entered.await(5, SECONDS)).as("worker entered the sink").isTrue();
    Message queued = message();
    CompletableFuture<PublishReceipt> pending = p.publishAsync(queued);

    p.close(Duration.ofMillis(100));

    assertThatThrownBy(() -> pending.get(5, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(BrokerClosedException.class);
    assertThat(sinkThreads).doesNotContainKey(queued.id());
    assertThat(p.isClosed()).isTrue();
    assertThatThrownBy(() -> p.publish(message()))
        .isInstanceOf(BrokerClosedException.class)
        .hasMessageContaining("small");
  }

  @Test
  @DisplayName("close waits for queued async publishes that finish within the timeout")
  void closeFlushes() throws Exception {
    DefaultPublisher p = smallAsyncPool();
    CompletableFuture<PublishReceipt> f1 = p.publishAsync(blocking());
    assertThat(entered.await(5, SECONDS)).isTrue();
    Message queued = message();
    CompletableFuture<PublishReceipt> f2 = p.publishAsync(queued);
    CompletableFuture<Void> closing =
        CompletableFuture.runAsync(() -> p.close(Duration.ofSeconds(10)));

    release.countDown();
    closing.get(5, SECONDS);

    assertThat(f1).isCompleted();
    assertThat(f2).isCompletedWithValueMatching(r -> r.messageId().equals(queued.id()));
  }

  @Test
  @DisplayName("close runs its callback once, even when called twice")
  void closeIsIdempotent() {
    DefaultPublisher p = publisher(PublisherOptions.builder(), sink);

    p.close(Duration.ofSeconds(1));
    p.close(Duration.ofSeconds(1));
    p.close();

    assertThat(closeCalls).hasValue(1);
  }

  @Test
  @DisplayName(
      "publishAsync on a closed publisher returns a future failed with BrokerClosedException")
  void publishAsyncAfterClose() {
    DefaultPublisher p = publisher(PublisherOptions.builder(), sink);
    p.close(Duration.ofSeconds(1));

    CompletableFuture<PublishReceipt> future = p.publishAsync(message());

    assertThat(future)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withCauseInstanceOf(BrokerClosedException.class);
  }

  @Test
  @DisplayName("publishAll returns one outcome per message, in order, wrapping foreign errors")
  void publishAll() {
    PublishMiddleware exploder =
        PublishMiddleware.named(
            "exploder",
            (m, chain) -> {
              if (m.header("explode").isPresent()) {
                throw new IllegalArgumentException("kaboom");
              }
              return chain.proceed(m);
            });
    DefaultPublisher p = publisher(PublisherOptions.builder().middlewares(exploder), sink);
    Message ok1 = message();
    Message noTopic = Message.builder().text("x").build();
    Message exploding = Message.builder().topic("orders").header("explode", "1").build();
    Message ok2 = message();

    BatchResult result = p.publishAll(Arrays.asList(ok1, noTopic, exploding, null, ok2));

    List<PublishOutcome> outcomes = result.outcomes();
    assertThat(outcomes).hasSize(5);
    assertThat(outcomes)
        .extracting(PublishOutcome::message)
        .containsExactly(ok1, noTopic, exploding, null, ok2);
    assertThat(outcomes)
        .extracting(PublishOutcome::succeeded)
        .containsExactly(true, false, false, false, true);
    assertThat(outcomes.get(0).receipt().messageId()).isEqualTo(ok1.id());
    assertThat(outcomes.get(1).error()).isInstanceOf(ValidationException.class);
    assertThat(outcomes.get(2).error())
        .isExactlyInstanceOf(JQueueException.class)
        .hasMessageContaining(exploding.id())
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(outcomes.get(3).error()).isInstanceOf(ValidationException.class);
    assertThat(outcomes.get(4).receipt().messageId()).isEqualTo(ok2.id());
    assertThat(sinkThreads).containsOnlyKeys(ok1.id(), ok2.id());
  }
}
