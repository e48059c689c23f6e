package io.jqueue.publishers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jqueue.BatchResult;
import io.jqueue.BrokerClosedException;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.QueueFullException;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BatchPublisherTest {
  private final BatchCounter target = new BatchCounter();
  private BatchPublisher batch;

  @AfterEach
  void close() {
    if (batch != null) {
      batch.close(Duration.ofSeconds(5));
    }
  }

  private static Message msg(int i) {
    return Message.builder().topic("events").text("m-" + i).build();
  }

  @Test
  @DisplayName("a full batch goes at once, in one publishAll, in order")
  void flushOnSize() {
    batch =
        BatchPublisher.builder(target).maxBatchSize(10).flushInterval(Duration.ofHours(1)).build();
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();

    for (int i = 0; i < 10; i++) {
      futures.add(batch.publishAsync(msg(i)));
    }

    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    assertThat(target.batches).containsExactly(10);
    assertThat(target.recorder.published())
        .extracting(Message::text)
        .containsExactly("m-0", "m-1", "m-2", "m-3", "m-4", "m-5", "m-6", "m-7", "m-8", "m-9");
  }

  @Test
  @DisplayName("a partial batch goes after the flush interval; publish returns once it went")
  void flushOnInterval() {
    batch =
        BatchPublisher.builder(target)
            .maxBatchSize(100)
            .flushInterval(Duration.ofMillis(50))
            .build();

    CompletableFuture<PublishReceipt> a = batch.publishAsync(msg(1));
    PublishReceipt b = batch.publish(msg(2));

    assertThat(b).isNotNull();
    assertThat(a.join()).isNotNull();
    assertThat(target.recorder.published()).hasSize(2);
    assertThat(target.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
  }

  @Test
  @DisplayName("closed with 999 buffered messages, it delivers all 999")
  void closeDeliversEverything() {
    batch =
        BatchPublisher.builder(target)
            .maxBatchSize(1000)
            .maxBuffered(1000)
            .flushInterval(Duration.ofHours(1))
            .build();
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();
    for (int i = 0; i < 999; i++) {
      futures.add(batch.publishAsync(msg(i)));
    }
    assertThat(batch.buffered()).isEqualTo(999);

    batch.close(Duration.ofSeconds(30));

    assertThat(target.recorder.published()).hasSize(999);
    assertThat(futures).allSatisfy(f -> assertThat(f.join().messageId()).isNotNull());
    assertThat(target.closed).as("the target belongs to its owner").isFalse();
    assertThatThrownBy(() -> batch.publish(msg(1000))).isInstanceOf(BrokerClosedException.class);
  }

  @Test
  @DisplayName("each message gets its own outcome: one refused does not fail its batch-mates")
  void perMessageOutcome() {
    target.recorder.failWhen(
        m -> m.text().equals("m-2"), m -> new QueueFullException("events", 10));
    batch =
        BatchPublisher.builder(target).maxBatchSize(5).flushInterval(Duration.ofHours(1)).build();

    BatchResult result = batch.publishAll(List.of(msg(0), msg(1), msg(2), msg(3), msg(4)));

    assertThat(result.failed())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.message().text()).isEqualTo("m-2");
              assertThat(o.error()).isInstanceOf(QueueFullException.class);
            });
    assertThat(result.succeeded()).hasSize(4);
    assertThat(target.recorder.published()).hasSize(4);
  }

  @Test
  @DisplayName("a failing target fails every message of the batch with its error, none is lost")
  void targetThrows() {
    Throwing failing = new Throwing();
    batch =
        BatchPublisher.builder(failing).maxBatchSize(3).flushInterval(Duration.ofHours(1)).build();
    List<CompletableFuture<PublishReceipt>> futures =
        List.of(batch.publishAsync(msg(0)), batch.publishAsync(msg(1)), batch.publishAsync(msg(2)));

    for (CompletableFuture<PublishReceipt> f : futures) {
      assertThatThrownBy(f::join)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(BrokerClosedException.class);
    }
  }

  @Test
  @DisplayName("the buffer is bounded: a caller waits for room, then times out")
  void bufferBounded() {
    Throwing blocked = new Throwing();
    blocked.block = true;
    batch =
        BatchPublisher.builder(blocked)
            .maxBatchSize(1)
            .maxBuffered(2)
            .flushInterval(Duration.ofHours(1))
            .publishTimeout(Duration.ofMillis(300))
            .build();
    batch.publishAsync(msg(0)); // taken by the flusher, which blocks in the target
    await().atMost(Duration.ofSeconds(10)).until(() -> blocked.calls > 0);
    batch.publishAsync(msg(1));
    batch.publishAsync(msg(2));

    assertThat(batch.buffered()).isEqualTo(2);
    assertThatThrownBy(() -> batch.publish(msg(3), Duration.ofMillis(200)))
        .isInstanceOf(PublishTimeoutException.class)
        .hasMessageContaining("maxBuffered");
    blocked.release();
  }

  @Test
  @DisplayName("nonsense options are refused")
  void badOptions() {
    assertThatThrownBy(() -> BatchPublisher.builder(target).maxBatchSize(0))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> BatchPublisher.builder(target).flushInterval(Duration.ZERO))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> BatchPublisher.builder(target).maxBatchSize(10).maxBuffered(5).build())
        .isInstanceOf(ValidationException.class);
  }

  @Test
  @DisplayName("health follows the target, and is DOWN once closed")
  void health() {
    batch = BatchPublisher.builder(target).build();
    assertThat(batch.health().isUp()).isTrue();
    target.recorder.reportHealth(io.jqueue.Health.down("connection lost"));
    assertThat(batch.health().reason()).isEqualTo("connection lost");

    batch.close(Duration.ofSeconds(5));
    assertThat(batch.health().reason()).contains("closed");
  }

  /** A target whose publishAll throws (closed), or blocks until released. */
  static final class Throwing extends io.jqueue.publishers.ForwardingTarget {
    volatile boolean block;
    volatile int calls;
    private final java.util.concurrent.CountDownLatch released =
        new java.util.concurrent.CountDownLatch(1);

    void release() {
      released.countDown();
    }

    @Override
    public BatchResult publishAll(List<Message> messages) {
      calls++;
      if (block) {
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      throw new BrokerClosedException("target closed");
    }
  }
}
