package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.BatchResult;
import io.jqueue.BrokerClosedException;
import io.jqueue.Health;
import io.jqueue.Message;
import io.jqueue.PublishOutcome;
import io.jqueue.PublishReceipt;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueFullException;
import io.jqueue.middleware.Retry;
import io.jqueue.middleware.Validation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** publishAll and publishAsync on a pipelined chain: many messages await the broker at once. */
class DefaultPublisherPipelinedTest {
  private final PendingSink sink = new PendingSink();
  private DefaultPublisher publisher;

  @AfterEach
  void tearDown() {
    sink.pending.forEach(f -> f.complete(null)); // release anything a failed test left waiting
    if (publisher != null) {
      publisher.close(Duration.ZERO);
    }
  }

  private DefaultPublisher publisher(PublisherOptions.Builder options) {
    publisher = new DefaultPublisher(options.build(), sink, Health::up, () -> {});
    return publisher;
  }

  private static List<Message> messages(int n) {
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(Message.builder().topic("orders").action("a").text("m-" + i).build());
    }
    return all;
  }

  @Test
  @DisplayName(
      "publishAll starts every message before the broker confirms any, and reports outcomes in"
          + " the batch's order whatever order the answers come in")
  void publishAllPipelines() {
    DefaultPublisher p = publisher(PublisherOptions.builder().middlewares(Validation.required()));
    List<Message> batch = messages(5);

    CompletableFuture<BatchResult> result =
        CompletableFuture.supplyAsync(() -> p.publishAll(batch));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.started.size() == 5);
    assertThat(result).isNotDone();
    for (int i = 4; i >= 0; i--) {
      if (i == 2) {
        sink.refuse(i, new QueueFullException("orders", 4));
      } else {
        sink.confirm(i);
      }
    }

    List<PublishOutcome> outcomes = result.join().outcomes();
    assertThat(outcomes).extracting(PublishOutcome::message).containsExactlyElementsOf(batch);
    assertThat(outcomes)
        .extracting(PublishOutcome::succeeded)
        .containsExactly(true, true, false, true, true);
    assertThat(outcomes.get(2).error()).isInstanceOf(QueueFullException.class);
    for (int i : new int[] {0, 1, 3, 4}) {
      assertThat(outcomes.get(i).receipt().messageId()).isEqualTo(batch.get(i).id());
    }
    assertThat(sink.sentSynchronously).isEmpty();
  }

  @Test
  @DisplayName(
      "publishAll with a Retry in the chain publishes one message at a time, each confirmed"
          + " before the next")
  void publishAllWithRetryIsSynchronous() {
    DefaultPublisher p = publisher(PublisherOptions.builder().middlewares(Retry.withDefaults()));
    List<Message> batch = messages(3);

    BatchResult result = p.publishAll(batch);

    assertThat(result.allSucceeded()).isTrue();
    assertThat(sink.sentSynchronously).containsExactlyElementsOf(batch);
    assertThat(sink.started).isEmpty();
  }

  @Test
  @DisplayName(
      "publishAsync's thread starts a publish and moves on: one thread keeps many awaiting the"
          + " broker, and each future completes with its own confirm")
  void publishAsyncDoesNotWait() {
    DefaultPublisher p = publisher(PublisherOptions.builder().id("one").asyncConcurrency(1));
    List<Message> batch = messages(10);
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();

    batch.forEach(m -> futures.add(p.publishAsync(m)));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.started.size() == 10);
    assertThat(futures).noneMatch(CompletableFuture::isDone);
    sink.confirm(3);
    assertThat(futures.get(3).join().messageId()).isEqualTo(batch.get(3).id());
    assertThat(futures).filteredOn(CompletableFuture::isDone).hasSize(1);
  }

  @Test
  @DisplayName(
      "close waits for the publishes awaiting the broker, then fails those still unanswered with"
          + " BrokerClosedException: no future is left pending")
  void closeFinishesOrFailsInFlight() {
    DefaultPublisher p = publisher(PublisherOptions.builder());
    List<Message> batch = messages(2);
    CompletableFuture<PublishReceipt> answered = p.publishAsync(batch.get(0));
    CompletableFuture<PublishReceipt> unanswered = p.publishAsync(batch.get(1));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.started.size() == 2);
    int answeredIndex = sink.started.indexOf(batch.get(0));
    CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS)
        .execute(() -> sink.confirm(answeredIndex));

    p.close(Duration.ofSeconds(2));

    assertThat(answered).isCompletedWithValueMatching(r -> r.messageId().equals(batch.get(0).id()));
    assertThat(unanswered)
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .withCauseInstanceOf(BrokerClosedException.class)
        .withMessageContaining("may or may not");
  }
}
