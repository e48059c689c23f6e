package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BrokerClosedException;
import io.jqueue.ConsumerOptions;
import io.jqueue.Delivery;
import io.jqueue.LeaseExpiredException;
import io.jqueue.QueueSpec;
import io.jqueue.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 graceful close of subscriptions and brokers. */
public abstract class CloseContract extends ContractSupport {

  @Test
  @DisplayName("closing a subscription returns its unfinished and buffered messages to the queue")
  void subscriptionCloseReturnsMessages() {
    String q = declare(queue("orders").visibilityTimeout(Duration.ofSeconds(30)));
    CompletableFuture<Throwable> lateAck = new CompletableFuture<>();
    Subscription s =
        broker.subscribe(
            q,
            ConsumerOptions.builder().concurrency(1).prefetch(5).build(),
            d -> {
              try {
                new CountDownLatch(1).await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                // the subscription closed under us
              }
              try {
                d.ack();
                lateAck.complete(null);
              } catch (Throwable t) {
                lateAck.complete(t);
              }
            });
    publishTexts(q, "m", 5);
    eventually().until(() -> broker.stats(q).inFlight() == 5);

    s.close(Duration.ofMillis(200));

    assertThat(lateAck.join()).isInstanceOf(LeaseExpiredException.class);
    eventually().until(() -> broker.stats(q).ready() == 5);
    List<Delivery> back = broker.receive(q, 10, Duration.ofSeconds(5));
    assertThat(back)
        .extracting(Delivery::text)
        .containsExactlyInAnyOrder("m-0", "m-1", "m-2", "m-3", "m-4");
    // the one whose handler ran used an attempt; the four that waited in the buffer did not
    assertThat(back).extracting(Delivery::attempt).containsExactlyInAnyOrder(2, 1, 1, 1, 1);
    back.forEach(Delivery::ack);
  }

  @Test
  @DisplayName(
      "a message whose last attempt is cut off by closing its subscription is dead-lettered")
  void closeCutsOffLastAttempt() {
    String q = declare(queue("orders").maxRetries(1).visibilityTimeout(Duration.ofSeconds(30)));
    CountDownLatch started = new CountDownLatch(1);
    Subscription s =
        broker.subscribe(
            q,
            d -> {
              started.countDown();
              Thread.sleep(20_000);
            });
    publisher.publish(text(q, "cut off"));
    eventually().until(() -> started.getCount() == 0);

    s.close(Duration.ofMillis(100));

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(broker.deadLetters(q).peek(1).get(0).attempts()).isEqualTo(1);
    assertThat(broker.stats(q).size()).isZero();
  }

  @Test
  @DisplayName("broker close lets running handlers finish within the timeout")
  void closeWaitsForHandlers() {
    String q = declare(queue("orders"));
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Boolean> acked = new CompletableFuture<>();
    broker.subscribe(
        q,
        d -> {
          started.countDown();
          Thread.sleep(300);
          d.ack();
          acked.complete(true);
        });
    publisher.publish(text(q, "finishing"));
    eventually().until(() -> started.getCount() == 0);

    broker.close(Duration.ofSeconds(10));

    assertThat(acked).isCompletedWithValue(true);
  }

  @Test
  @DisplayName("broker close interrupts handlers that outlast the timeout and returns in time")
  void closeIsBounded() {
    String q = declare(queue("orders"));
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    broker.subscribe(
        q,
        d -> {
          try {
            Thread.sleep(30_000);
            interrupted.complete(false);
          } catch (InterruptedException e) {
            interrupted.complete(true);
          }
        });
    publisher.publish(text(q, "stuck"));
    eventually().until(() -> broker.stats(q).inFlight() == 1);
    Instant start = Instant.now();

    broker.close(Duration.ofMillis(300));

    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    assertThat(interrupted.join()).isTrue();
  }

  @Test
  @DisplayName(
      "close called from a second thread while the first still waits for handlers returns only"
          + " once the broker is closed")
  void concurrentCloseWaits() throws Exception {
    String q = declare(queue("orders"));
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean handlerDone =
        new java.util.concurrent.atomic.AtomicBoolean();
    broker.subscribe(
        q,
        d -> {
          release.await();
          handlerDone.set(true);
        });
    publisher.publish(text(q, "slow"));
    eventually().until(() -> broker.stats(q).inFlight() == 1);

    CompletableFuture<Void> first =
        CompletableFuture.runAsync(() -> broker.close(Duration.ofSeconds(30)));
    eventually().until(() -> isClosing(q));
    CompletableFuture<Boolean> second =
        CompletableFuture.supplyAsync(
            () -> {
              broker.close(Duration.ofSeconds(30));
              return handlerDone.get(); // closed means: the handler it waited for has finished
            });
    // the second close must still be waiting while the handler is held
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !second.isDone());

    release.countDown();

    assertThat(second.get(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    first.get(15, java.util.concurrent.TimeUnit.SECONDS);
  }

  private boolean isClosing(String q) {
    try {
      broker.stats(q);
      return false;
    } catch (BrokerClosedException e) {
      return true;
    }
  }

  @Test
  @DisplayName("after close every operation is a BrokerClosedException, and close is idempotent")
  void closedBrokerRefuses() {
    String q = declare(queue("orders"));
    broker.close(Duration.ofSeconds(1));
    broker.close(Duration.ofSeconds(1));

    assertThatThrownBy(() -> publisher.publish(text(q, "late")))
        .isInstanceOf(BrokerClosedException.class);
    assertThatThrownBy(() -> broker.declareQueue(QueueSpec.builder(uniqueName("x")).build()))
        .isInstanceOf(BrokerClosedException.class);
    assertThatThrownBy(() -> broker.subscribe(q, d -> {}))
        .isInstanceOf(BrokerClosedException.class);
    assertThatThrownBy(() -> broker.receive(q, 1, Duration.ZERO))
        .isInstanceOf(BrokerClosedException.class);
    assertThatThrownBy(() -> broker.stats(q)).isInstanceOf(BrokerClosedException.class);
    assertThatThrownBy(broker::publisher).isInstanceOf(BrokerClosedException.class);
  }

  @Test
  @DisplayName("a receive waiting when the broker closes fails with BrokerClosedException")
  void waitingReceiveFailsOnClose() {
    String q = declare(queue("orders"));
    CompletableFuture<List<Delivery>> waiting =
        CompletableFuture.supplyAsync(() -> broker.receive(q, 1, Duration.ofSeconds(20)));
    eventually().during(Duration.ofMillis(100)).until(() -> !waiting.isDone());

    broker.close(Duration.ofSeconds(1));

    assertThatThrownBy(waiting::join).hasCauseInstanceOf(BrokerClosedException.class);
  }
}
