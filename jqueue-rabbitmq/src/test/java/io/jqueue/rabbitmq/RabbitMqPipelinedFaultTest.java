package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.BatchResult;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishOutcome;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Pipelined publishes when the connection fails mid-window, through a proxy that touches only this
 * test's connections: a receipt still means RabbitMQ has the message, and nothing is left pending.
 */
class RabbitMqPipelinedFaultTest {
  private static final int MESSAGES = 2_000;
  private static final int PAUSE_AT = 900; // from here on nothing reaches RabbitMQ: no confirm
  private static final int DROP_AT = 1_000; // then the connection drops with them unconfirmed

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
                .connectionName("jqueue-test-pipelined-fault")
                .build());
    q = "pipelined-fault-" + System.nanoTime();
    broker.declareQueue(QueueSpec.builder(q).build());
  }

  @AfterEach
  void close() throws Exception {
    proxy.holdUpstream(false);
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

  /**
   * Cuts the connection in the middle of a window: holds what clients send from message {@value
   * #PAUSE_AT}, so the messages after it stay unconfirmed, and drops the connection at message
   * {@value #DROP_AT}. Pipelines, as an application's own async middleware would.
   */
  private final class CutMidWindow implements AsyncPublishMiddleware {
    final AtomicInteger seen = new AtomicInteger();
    volatile int unconfirmedAtDrop = -1;

    @Override
    public CompletableFuture<PublishReceipt> publishAsync(Message m, AsyncPublishChain chain) {
      int n = seen.incrementAndGet();
      if (n == PAUSE_AT) {
        proxy.holdUpstream(true);
      } else if (n == DROP_AT) {
        unconfirmedAtDrop = broker.unconfirmedPublishes();
        proxy.dropAll();
        proxy.holdUpstream(false); // the recovered connection works again
      }
      return chain.proceed(m);
    }

    @Override
    public PublishReceipt publish(Message m, PublishChain chain) {
      throw new AssertionError("the pipelined path must run");
    }
  }

  private Publisher publisher(CutMidWindow cut) {
    return broker.publisher(
        PublisherOptions.builder().middlewares(cut).publishTimeout(Duration.ofSeconds(30)).build());
  }

  @Test
  @DisplayName(
      "publishAll while the connection drops mid-window: every receipted message is in the"
          + " queue, the others have a typed error")
  void publishAllConnectionDrop() throws Exception {
    CutMidWindow cut = new CutMidWindow();
    List<Message> batch = RabbitMqPipelinedPublishTest.messages(q, MESSAGES);

    BatchResult result = publisher(cut).publishAll(batch);

    assertThat(cut.unconfirmedAtDrop)
        .as("messages awaiting a confirm when it dropped")
        .isPositive();
    assertOutcomes(result.outcomes());
  }

  @Test
  @DisplayName(
      "publishAsync while the connection drops mid-window: every future completes, and every"
          + " receipted message is in the queue")
  void publishAsyncConnectionDrop() throws Exception {
    CutMidWindow cut = new CutMidWindow();
    Publisher p = publisher(cut);
    List<Message> batch = RabbitMqPipelinedPublishTest.messages(q, MESSAGES);
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();

    batch.forEach(m -> futures.add(p.publishAsync(m)));
    CompletableFuture.allOf(
            futures.stream().map(f -> f.handle((r, e) -> null)).toArray(CompletableFuture[]::new))
        .get(60, TimeUnit.SECONDS);

    assertThat(cut.unconfirmedAtDrop)
        .as("messages awaiting a confirm when it dropped")
        .isPositive();
    List<PublishOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture<PublishReceipt> f = futures.get(i);
      outcomes.add(
          f.isCompletedExceptionally()
              ? new PublishOutcome(batch.get(i), null, cause(f))
              : new PublishOutcome(batch.get(i), f.join(), null));
    }
    assertOutcomes(outcomes);
  }

  @Test
  @DisplayName(
      "no publishAsync future completes while RabbitMQ's confirms cannot come; all complete with"
          + " receipts once they do")
  void noReceiptWithoutAnAck() throws Exception {
    // one thread, whose channel is open before the pause (opening one needs RabbitMQ's answer)
    Publisher p = broker.publisher(PublisherOptions.builder().asyncConcurrency(1).build());
    Message first = Message.builder().topic(q).text("first").build();
    p.publishAsync(first).get(30, TimeUnit.SECONDS);
    List<Message> batch = RabbitMqPipelinedPublishTest.messages(q, 50);
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();

    proxy.holdUpstream(true);
    batch.forEach(m -> futures.add(p.publishAsync(m)));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> broker.unconfirmedPublishes() == 50);
    Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> futures.stream().noneMatch(CompletableFuture::isDone));
    proxy.holdUpstream(false);

    for (int i = 0; i < batch.size(); i++) {
      assertThat(futures.get(i).get(30, TimeUnit.SECONDS).messageId()).isEqualTo(batch.get(i).id());
    }
    assertThat(RabbitMqPipelinedPublishTest.drainIds(q))
        .containsExactlyElementsOf(
            java.util.stream.Stream.concat(java.util.stream.Stream.of(first), batch.stream())
                .map(Message::id)
                .toList());
    p.close();
  }

  private static io.jqueue.JQueueException cause(CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("completed normally");
    } catch (java.util.concurrent.CompletionException e) {
      return (io.jqueue.JQueueException) e.getCause();
    }
  }

  /** Every message has an outcome; each receipted one is in the queue; errors are typed. */
  private void assertOutcomes(List<PublishOutcome> outcomes) throws Exception {
    assertThat(outcomes).hasSize(MESSAGES);
    for (PublishOutcome o : outcomes) {
      if (!o.succeeded()) {
        assertThat(o.error())
            .as("error of %s", o.message().id())
            .isInstanceOfAny(PublishTimeoutException.class, BrokerUnavailableException.class);
      }
    }
    Set<String> receipted =
        outcomes.stream()
            .filter(PublishOutcome::succeeded)
            .map(o -> o.receipt().messageId())
            .collect(Collectors.toSet());
    // a message whose confirm the drop cut off is sent again: it may be in the queue twice
    Set<String> inQueue = Set.copyOf(RabbitMqPipelinedPublishTest.drainIds(q));
    assertThat(inQueue).containsAll(receipted);
    // those written after the pause had no confirm when the connection dropped: a receipt for
    // one of them means it was sent again once the connection recovered, and confirmed then
    assertThat(outcomes.subList(PAUSE_AT, DROP_AT - 2))
        .as("messages unconfirmed at the drop, sent again after the recovery")
        .anyMatch(PublishOutcome::succeeded);
  }
}
