package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.jqueue.BatchResult;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.Message;
import io.jqueue.OverflowPolicy;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueFullException;
import io.jqueue.QueueSpec;
import io.jqueue.UnroutableException;
import io.jqueue.middleware.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Pipelined publishes on RabbitMQ: many messages await their confirms at once, and still only
 * RabbitMQ's ack makes a receipt.
 */
class RabbitMqPipelinedPublishTest {
  private RabbitMqBroker broker;
  private final List<String> queues = new ArrayList<>();

  @BeforeEach
  void open() {
    broker = RabbitMqBroker.connect(RabbitMqTestSupport.config().build());
  }

  @AfterEach
  void close() {
    queues.forEach(broker::deleteQueue);
    broker.close(Duration.ofSeconds(5));
  }

  private String declare(QueueSpec.Builder spec) {
    QueueSpec s = spec.build();
    broker.declareQueue(s);
    queues.add(s.name());
    return s.name();
  }

  private static String unique(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static List<Message> messages(String q, int n) {
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(Message.builder().topic(q).text("m-" + i).build());
    }
    return all;
  }

  /**
   * The ids of every message in {@code q}, in queue order, read (and removed) by a plain client.
   */
  static List<String> drainIds(String q) throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection c = RabbitMqPublishingTest.plainConnection();
        Channel ch = c.createChannel()) {
      GetResponse r;
      while ((r = ch.basicGet(q, true)) != null) {
        ids.add(r.getProps().getMessageId());
      }
    }
    return ids;
  }

  static Set<String> receipted(BatchResult result) {
    return result.succeeded().stream()
        .map(o -> o.receipt().messageId())
        .collect(Collectors.toSet());
  }

  @Test
  @DisplayName(
      "publishAll keeps many messages awaiting their confirms at once, and the queue holds them"
          + " in the batch's order")
  void publishAllPipelinesInOrder() throws Exception {
    String q = declare(QueueSpec.builder(unique("pipelined")));
    List<Message> batch = messages(q, 500);

    BatchResult result = broker.publisher().publishAll(batch);

    assertThat(result.allSucceeded()).isTrue();
    assertThat(broker.peakUnconfirmedPublishes()).isGreaterThan(1);
    assertThat(drainIds(q)).containsExactlyElementsOf(batch.stream().map(Message::id).toList());
  }

  @Test
  @DisplayName(
      "RabbitMQ nacks part of a window (x-max-length, reject-publish): exactly the accepted"
          + " messages have receipts, the rest QueueFullException, and the queue holds exactly"
          + " the receipted ones")
  void nackMidWindow() throws Exception {
    String q = declare(QueueSpec.builder(unique("nacked")).maxSize(50));
    List<Message> batch = messages(q, 300);

    BatchResult result = broker.publisher().publishAll(batch);

    assertThat(broker.peakUnconfirmedPublishes()).isGreaterThan(1);
    assertThat(result.succeeded()).hasSize(50);
    assertThat(result.failed())
        .hasSize(250)
        .allSatisfy(o -> assertThat(o.error()).isInstanceOf(QueueFullException.class));
    assertThat(drainIds(q)).containsExactlyInAnyOrderElementsOf(receipted(result));
  }

  @Test
  @DisplayName(
      "publishAsync futures complete in the order RabbitMQ confirms them, each with its own"
          + " receipt")
  void publishAsyncCompletesInConfirmOrder() throws Exception {
    String q = declare(QueueSpec.builder(unique("async-order")));
    // one thread writes them all on one channel, whose confirms come in publish order
    Publisher p = broker.publisher(PublisherOptions.builder().asyncConcurrency(1).build());
    List<Message> batch = messages(q, 300);
    List<String> completed = new CopyOnWriteArrayList<>();
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();

    for (Message m : batch) {
      futures.add(p.publishAsync(m).whenComplete((r, e) -> completed.add(r.messageId())));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    List<String> ids = batch.stream().map(Message::id).toList();
    assertThat(completed).containsExactlyElementsOf(ids);
    assertThat(drainIds(q)).containsExactlyElementsOf(ids);
    p.close();
  }

  @Test
  @DisplayName(
      "a message RabbitMQ returns gets its typed error on the pipelined path, the others of the"
          + " batch their receipts")
  void returnedMessages() throws Exception {
    String q = declare(QueueSpec.builder(unique("routed")));
    Message missing = Message.builder().topic(unique("missing")).text("x").build();
    List<Message> batch = new ArrayList<>(messages(q, 20));
    batch.add(10, missing);

    BatchResult result = broker.publisher().publishAll(batch);
    CompletableFuture<PublishReceipt> async = broker.publisher().publishAsync(missing);

    assertThat(result.failed())
        .singleElement()
        .satisfies(o -> assertThat(o.message()).isEqualTo(missing))
        .satisfies(o -> assertThat(o.error()).isInstanceOf(DestinationNotFoundException.class));
    assertThat(async)
        .failsWithin(Duration.ofSeconds(30))
        .withThrowableThat()
        .withCauseInstanceOf(DestinationNotFoundException.class);
    assertThat(drainIds(q)).containsExactlyInAnyOrderElementsOf(receipted(result)).hasSize(20);
  }

  @Test
  @DisplayName("on a named exchange a message routed nowhere is an UnroutableException")
  void unroutableOnNamedExchange() throws Exception {
    String exchange = unique("jqueue-test-exchange");
    try (RabbitMqBroker named =
        RabbitMqBroker.connect(RabbitMqTestSupport.config().exchange(exchange).build())) {
      String q = unique("bound");
      named.declareQueue(QueueSpec.builder(q).build());
      try {
        Message nowhere = Message.builder().topic(unique("nowhere")).text("x").build();
        BatchResult result =
            named
                .publisher()
                .publishAll(List.of(nowhere, Message.builder().topic(q).text("y").build()));

        assertThat(result.outcomes().get(0).error()).isInstanceOf(UnroutableException.class);
        assertThat(result.outcomes().get(1).succeeded()).isTrue();
      } finally {
        named.deleteQueue(q);
        try (Connection c = RabbitMqPublishingTest.plainConnection();
            Channel ch = c.createChannel()) {
          ch.exchangeDelete(exchange);
        }
      }
    }
  }

  @Test
  @DisplayName(
      "into a full BLOCK queue, refused messages of a window are sent again until there is room:"
          + " each arrives exactly once")
  void blockQueueResends() throws Exception {
    String q =
        declare(QueueSpec.builder(unique("block")).maxSize(5).overflow(OverflowPolicy.BLOCK));
    Set<String> handled = ConcurrentHashMap.newKeySet();
    List<String> duplicates = new CopyOnWriteArrayList<>();
    broker.subscribe(
        q,
        d -> {
          if (!handled.add(d.message().id())) {
            duplicates.add(d.message().id());
          }
          Thread.sleep(2); // slower than the publisher: the queue fills
        });
    List<Message> batch = messages(q, 100);

    Publisher p =
        broker.publisher(PublisherOptions.builder().publishTimeout(Duration.ofSeconds(60)).build());

    BatchResult result = p.publishAll(batch);

    assertThat(result.allSucceeded()).isTrue();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> handled.size() == 100);
    assertThat(handled).isEqualTo(receipted(result));
    assertThat(duplicates).isEmpty();
  }

  @Test
  @DisplayName(
      "a chain with Retry takes the synchronous path on RabbitMQ: one message at a time, and it"
          + " works")
  void retryFallsBackToSynchronous() throws Exception {
    String q = declare(QueueSpec.builder(unique("retry")));
    Publisher p =
        broker.publisher(PublisherOptions.builder().middlewares(Retry.withDefaults()).build());
    List<Message> batch = messages(q, 50);

    BatchResult result = p.publishAll(batch);
    PublishReceipt async = p.publishAsync(Message.builder().topic(q).text("async").build()).join();

    assertThat(result.allSucceeded()).isTrue();
    assertThat(async.destination()).isEqualTo(q);
    assertThat(broker.peakUnconfirmedPublishes()).isZero(); // the pipelined sender never ran
    assertThat(drainIds(q)).hasSize(51);
    p.close();
  }

  @Test
  @DisplayName(
      "two threads publishing batches at once each keep their order in the queue (a thread's"
          + " pipelined messages go out on one channel)")
  void concurrentBatchesKeepTheirOrder() throws Exception {
    String q = declare(QueueSpec.builder(unique("two-threads")));
    List<Message> a = messages(q, 400);
    List<Message> b = messages(q, 400);
    Publisher p = broker.publisher();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<BatchResult> first =
          CompletableFuture.supplyAsync(() -> p.publishAll(a), threads);
      CompletableFuture<BatchResult> second =
          CompletableFuture.supplyAsync(() -> p.publishAll(b), threads);

      assertThat(first.get(30, TimeUnit.SECONDS).allSucceeded()).isTrue();
      assertThat(second.get(30, TimeUnit.SECONDS).allSucceeded()).isTrue();
    } finally {
      threads.shutdownNow();
    }
    List<String> inQueue = drainIds(q);
    Set<String> ofA = a.stream().map(Message::id).collect(Collectors.toSet());
    assertThat(inQueue.stream().filter(ofA::contains).toList())
        .containsExactlyElementsOf(a.stream().map(Message::id).toList());
    assertThat(inQueue.stream().filter(id -> !ofA.contains(id)).toList())
        .containsExactlyElementsOf(b.stream().map(Message::id).toList());
  }
}
