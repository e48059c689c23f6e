package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.CodecException;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 pull API. */
public abstract class PullContract extends ContractSupport {

  @Test
  @DisplayName("receive returns up to max leased messages in order")
  void receiveUpToMax() {
    String q = declare(queue("jobs"));
    publishTexts(q, "m", 5);

    List<Delivery> got = broker.receive(q, 3, Duration.ofSeconds(5));

    assertThat(got).extracting(Delivery::text).containsExactly("m-0", "m-1", "m-2");
    assertThat(got).allSatisfy(d -> assertThat(d.consumerId()).isEqualTo("pull"));
    assertThat(broker.stats(q).inFlight()).isEqualTo(3);
    assertThat(broker.stats(q).ready()).isEqualTo(2);
    got.forEach(Delivery::ack);
    assertThat(broker.stats(q).acked()).isEqualTo(3);
  }

  @Test
  @DisplayName("receive waits up to the wait for the first message, then returns empty")
  void receiveWaitsThenGivesUp() {
    String q = declare(queue("jobs"));
    Instant start = Instant.now();

    List<Delivery> got = broker.receive(q, 1, Duration.ofMillis(300));

    assertThat(got).isEmpty();
    assertThat(Duration.between(start, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  @DisplayName("a waiting receive returns as soon as a message arrives")
  void receiveWakesOnPublish() {
    String q = declare(queue("jobs"));
    CompletableFuture<List<Delivery>> waiting =
        CompletableFuture.supplyAsync(() -> broker.receive(q, 1, Duration.ofSeconds(20)));

    publisher.publish(text(q, "arrived"));

    List<Delivery> got = waiting.join();
    assertThat(got).extracting(Delivery::text).containsExactly("arrived");
    got.get(0).ack();
  }

  @Test
  @DisplayName("receive from an unknown queue, or with a bad max, is a typed error")
  void receiveBadInput() {
    String q = declare(queue("jobs"));
    assertThatThrownBy(() -> broker.receive(uniqueName("nope"), 1, Duration.ZERO))
        .isInstanceOf(DestinationNotFoundException.class);
    assertThatThrownBy(() -> broker.receive(q, 0, Duration.ZERO))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> broker.receive(q, 1, Duration.ofSeconds(-1)))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  @DisplayName("a pull with options passes the consume middlewares and carries the consumer id")
  void receiveThroughMiddlewares() {
    String q = declare(queue("jobs"));
    publisher.publish(text(q, "compressed"));
    List<String> calls = new CopyOnWriteArrayList<>();
    ConsumeMiddleware replace =
        ConsumeMiddleware.named(
            "replace",
            (d, chain) -> {
              calls.add("replace " + d.text());
              chain.proceed(d.withMessage(d.message().toBuilder().text("plain").build()));
            });
    ConsumerOptions options = ConsumerOptions.builder().id("puller").middlewares(replace).build();

    List<Delivery> got = broker.receive(q, options, 1, Duration.ofSeconds(5));

    assertThat(got).extracting(Delivery::text).containsExactly("plain");
    assertThat(got.get(0).consumerId()).isEqualTo("puller");
    assertThat(calls).containsExactly("replace compressed");
    assertThat(broker.stats(q).inFlight()).isEqualTo(1);
    got.get(0).ack();
    assertThat(broker.stats(q).acked()).isEqualTo(1);
  }

  @Test
  @DisplayName("a pulled message a middleware cannot decode is dead-lettered; the pull goes on")
  void receiveDeadLettersUndecodable() {
    String q = declare(queue("jobs"));
    publisher.publish(text(q, "tampered"));
    publisher.publish(text(q, "fine"));
    ConsumeMiddleware decrypt =
        (d, chain) -> {
          if (d.text().equals("tampered")) {
            throw new CodecException("authentication tag mismatch");
          }
          chain.proceed(d);
        };
    ConsumerOptions options = ConsumerOptions.builder().middlewares(decrypt).build();

    List<Delivery> first = broker.receive(q, options, 1, Duration.ofSeconds(5));

    assertThat(first).extracting(Delivery::text).containsExactly("fine");
    first.get(0).ack();
    eventually().until(() -> broker.deadLetters(q).count() == 1);
    assertThat(broker.deadLetters(q).peek(1).get(0).reason())
        .isEqualTo(DeadLetterReason.DECODE_ERROR);
  }
}
