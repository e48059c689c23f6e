package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BrokerClosedException;
import io.jqueue.Capability;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.Message;
import io.jqueue.QueueFullException;
import io.jqueue.RemoteHandlerException;
import io.jqueue.RequestTimeoutException;
import io.jqueue.Requester;
import io.jqueue.RequesterOptions;
import io.jqueue.RequesterStats;
import io.jqueue.Responder;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §6 request-reply: correlation, timeouts, late replies, remote errors, bounds, closing. */
public abstract class RequestReplyContract extends ContractSupport {
  private static final Duration LONG = Duration.ofSeconds(30);

  /** Released after each test, so no responder thread outlives it waiting. */
  private final CountDownLatch release = new CountDownLatch(1);

  /** One permit per held request that reached its responder. */
  private final Semaphore arrived = new Semaphore(0);

  @AfterEach
  void releaseResponders() {
    release.countDown();
  }

  /** A responder answering {@code re:<request text>}; it holds requests named in {@code held}. */
  private Responder echo(String... held) {
    List<String> hold = List.of(held);
    return d -> {
      if (hold.contains(d.text())) {
        arrived.release();
        release.await(LONG.toSeconds(), TimeUnit.SECONDS);
      }
      return Message.builder().text("re:" + d.text()).build();
    };
  }

  /** Waits until {@code n} held requests are with their responder. */
  private void awaitArrived(int n) throws InterruptedException {
    assertThat(arrived.tryAcquire(n, LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(LONG.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("1000 concurrent requests each get their own reply, and nothing stays pending")
  void thousandConcurrentRequests() throws Exception {
    String q = declare(queue("prices"));
    broker.respond(q, ConsumerOptions.builder().concurrency(4).prefetch(16).build(), echo());

    try (Requester requester = broker.requester()) {
      List<CompletableFuture<Message>> replies = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        replies.add(requester.request(text(q, "item-" + i), Duration.ofSeconds(60)));
      }
      await(CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)));

      for (int i = 0; i < 1000; i++) {
        assertThat(replies.get(i).join().text()).isEqualTo("re:item-" + i);
      }
      assertThat(requester.stats()).isEqualTo(new RequesterStats(0, 1000, 0, 0, 0));
    }
  }

  @Test
  @DisplayName(
      "a request with no reply in time fails with RequestTimeoutException; its late reply is"
          + " dropped and counted, never given to another request")
  void timeoutAndLateReply() throws Exception {
    String q = declare(queue("prices"));
    CountDownLatch slowDone = new CountDownLatch(1);
    CountDownLatch releaseHeld = new CountDownLatch(1);
    broker.respond(
        q,
        ConsumerOptions.builder().concurrency(2).build(),
        d -> {
          if (d.text().equals("slow")) {
            release.await(LONG.toSeconds(), TimeUnit.SECONDS);
            slowDone.countDown();
          } else {
            releaseHeld.await(LONG.toSeconds(), TimeUnit.SECONDS);
          }
          return Message.builder().text("re:" + d.text()).build();
        });

    try (Requester requester = broker.requester()) {
      CompletableFuture<Message> slow = requester.request(text(q, "slow"), Duration.ofMillis(300));
      CompletableFuture<Message> held = requester.request(text(q, "held"), LONG);

      assertThat(slow)
          .failsWithin(LONG)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(RequestTimeoutException.class)
          .withMessageContaining("within PT0.3S");
      assertThat(requester.stats().timedOut()).isOne();
      assertThat(requester.stats().pending()).isOne(); // only "held" waits; "slow" is forgotten

      release.countDown(); // the slow reply now comes, while "held" still waits
      eventually().until(() -> requester.stats().lateReplies() == 1);
      assertThat(slowDone.getCount()).isZero();
      assertThat(held).isNotDone();

      releaseHeld.countDown();
      assertThat(await(held).text()).isEqualTo("re:held");
      assertThat(requester.stats()).isEqualTo(new RequesterStats(0, 1, 1, 1, 0));
    }
  }

  @Test
  @DisplayName(
      "a responder that throws fails the request with RemoteHandlerException carrying its class"
          + " and message; the request is acknowledged, not retried or dead-lettered")
  void remoteError() throws Exception {
    String q = declare(queue("prices").maxRetries(3));
    AtomicInteger calls = new AtomicInteger();
    broker.respond(
        q,
        d -> {
          calls.incrementAndGet();
          throw new IllegalStateException("no price for " + d.text());
        });

    try (Requester requester = broker.requester()) {
      CompletableFuture<Message> reply = requester.request(text(q, "mango"), LONG);

      assertThat(reply)
          .failsWithin(LONG)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOfSatisfying(
              RemoteHandlerException.class,
              e -> {
                assertThat(e.remoteErrorClass()).isEqualTo("java.lang.IllegalStateException");
                assertThat(e.remoteMessage()).isEqualTo("no price for mango");
                assertThat(e.getMessage()).contains("'" + q + "'", "no price for mango");
              });
      assertThat(requester.stats()).isEqualTo(new RequesterStats(0, 0, 0, 0, 1));
      eventually().until(() -> broker.stats(q).acked() == 1);
      assertThat(broker.stats(q).retried()).isZero();
      assertThat(broker.deadLetters(q).count()).isZero();
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  @DisplayName("beyond maxInFlight a request fails at once with QueueFullException, unsent")
  void maxInFlight() throws Exception {
    String q = declare(queue("prices"));
    AtomicInteger calls = new AtomicInteger();
    Responder echo = echo("a", "b");
    broker.respond(
        q,
        ConsumerOptions.builder().concurrency(2).build(),
        d -> {
          calls.incrementAndGet();
          return echo.respond(d);
        });

    try (Requester requester =
        broker.requester(RequesterOptions.builder().maxInFlight(2).build())) {
      CompletableFuture<Message> a = requester.request(text(q, "a"), LONG);
      CompletableFuture<Message> b = requester.request(text(q, "b"), LONG);
      awaitArrived(2);
      CompletableFuture<Message> c = requester.request(text(q, "c"), LONG);

      assertThat(c).isCompletedExceptionally();
      assertThatThrownBy(c::join)
          .hasCauseInstanceOf(QueueFullException.class)
          .hasMessageContaining("maxInFlight");
      assertThat(requester.stats().pending()).isEqualTo(2);

      release.countDown();
      assertThat(await(a).text()).isEqualTo("re:a");
      assertThat(await(b).text()).isEqualTo("re:b");
      assertThat(await(requester.request(text(q, "d"), LONG)).text()).isEqualTo("re:d");
      assertThat(calls).hasValue(3); // "c" was never sent
      assertThat(requester.stats().pending()).isZero();
    }
  }

  @Test
  @DisplayName("closing a requester fails its pending requests and releases its reply consumer")
  void closeFailsPending() throws Exception {
    String q = declare(queue("prices"));
    broker.respond(q, echo("x"));
    Requester requester = broker.requester();
    CompletableFuture<Message> pending = requester.request(text(q, "x"), LONG);
    awaitArrived(1); // sent and with the responder: only the close can end it now

    requester.close();

    assertThat(pending)
        .failsWithin(LONG)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(BrokerClosedException.class);
    assertThat(requester.stats().pending()).isZero();
    assertThat(requester.request(text(q, "y"), LONG))
        .failsWithin(LONG)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(BrokerClosedException.class);
    assertThat(broker.queues()).noneMatch(name -> name.startsWith("jqueue.replies."));
    requester.close(); // idempotent
  }

  @Test
  @DisplayName("closing the broker fails the pending requests of its requesters")
  void brokerCloseFailsPending() throws Exception {
    String q = declare(queue("prices"));
    broker.respond(q, echo("x"));
    Requester requester = broker.requester();
    CompletableFuture<Message> pending = requester.request(text(q, "x"), LONG);
    awaitArrived(1);

    broker.close(Duration.ofSeconds(1)); // the responder holds the request meanwhile

    assertThat(pending)
        .failsWithin(LONG)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(BrokerClosedException.class);
    assertThat(requester.stats().pending()).isZero();
  }

  @Test
  @DisplayName("a message without reply-to or correlation id is dead-lettered, never answered")
  void notARequest() {
    String q = declare(queue("prices").maxRetries(3));
    AtomicInteger calls = new AtomicInteger();
    broker.respond(
        q,
        d -> {
          calls.incrementAndGet();
          return Message.builder().text("answer").build();
        });

    publisher.publish(text(q, "hello"));
    publisher.publish(
        Message.builder().topic(q).text("half").correlationId("c-1").build()); // no reply-to

    eventually().until(() -> broker.deadLetters(q).count() == 2);
    List<DeadLetter> dead = broker.deadLetters(q).peek(2);
    assertThat(dead).extracting(DeadLetter::reason).containsOnly(DeadLetterReason.REJECTED);
    assertThat(dead.get(0).errorMessage()).contains("not a request", "reply-to");
    assertThat(calls).hasValue(0);
  }

  @Test
  @DisplayName(
      "a request published to a topic is answered by a responder serving one of its"
          + " subscriptions, and plain publishes to the topic still work")
  void requestToTopic() throws Exception {
    assumeSupports(Capability.TOPICS);
    String topic = uniqueName("price-topic");
    broker.declareTopic(TopicSpec.builder(topic).build());
    try {
      SubscriptionSpec service = SubscriptionSpec.builder(topic, "service").build();
      broker.declareSubscription(service);
      broker.respond(service.address(), echo());

      try (Requester requester = broker.requester()) {
        for (String item : List.of("apple", "kiwi")) {
          Message request = Message.builder().topic(topic).action("price.get").text(item).build();
          assertThat(await(requester.request(request, LONG)).text()).isEqualTo("re:" + item);
        }
      }
      publisher.publish(Message.builder().topic(topic).action("price.changed").text("x").build());
    } finally {
      broker.deleteTopic(topic);
    }
  }

  @Test
  @DisplayName("requests to an undeclared queue fail with the publish error, not a timeout")
  void unknownDestination() {
    try (Requester requester = broker.requester()) {
      assertThat(requester.request(text(uniqueName("nobody"), "x"), LONG))
          .failsWithin(LONG)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(DestinationNotFoundException.class);
      assertThat(requester.stats().pending()).isZero();
    }
  }

  @Test
  @DisplayName("two open requesters may not share an id; a closed one's id is free again")
  void uniqueIds() {
    RequesterOptions options = RequesterOptions.builder().id(uniqueName("pricing")).build();
    Requester first = broker.requester(options);

    assertThatThrownBy(() -> broker.requester(options))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("already open");

    first.close();
    broker.requester(options).close();
  }
}
