package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.MessageLimits;
import io.jqueue.MessageTooLargeException;
import io.jqueue.PublishChain;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.PublisherOptions;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublishPipelineTest {
  private static final Instant LATER = Instant.now().plusSeconds(3_600);

  private final List<Message> sent = new CopyOnWriteArrayList<>();
  private final List<String> trace = new CopyOnWriteArrayList<>();
  private final MessageSink recordingSink =
      (message, deadline) -> {
        sent.add(message);
        trace.add("sink");
        return new PublishReceipt(message.id(), message.topic(), Instant.now());
      };

  private static Message.Builder message() {
    return Message.builder().topic("orders").text("hello");
  }

  private PublishPipeline pipeline(PublisherOptions.Builder options) {
    return new PublishPipeline(options.build(), recordingSink);
  }

  private PublishMiddleware tracing(String name) {
    return PublishMiddleware.named(
        name,
        (message, chain) -> {
          trace.add(name + ">");
          PublishReceipt receipt = chain.proceed(message);
          trace.add("<" + name);
          return receipt;
        });
  }

  @Test
  @DisplayName("a message passes through to the sink and its receipt comes back")
  void passesThrough() {
    Message m = message().build();

    PublishReceipt receipt = pipeline(PublisherOptions.builder()).publish(m, LATER);

    assertThat(sent).containsExactly(m);
    assertThat(receipt.messageId()).isEqualTo(m.id());
    assertThat(receipt.destination()).isEqualTo("orders");
  }

  @Test
  @DisplayName("middlewares run in the order listed: the first listed is outermost")
  void firstListedOutermost() {
    PublishPipeline p =
        pipeline(PublisherOptions.builder().middlewares(tracing("a"), tracing("b"), tracing("c")));

    p.publish(message().build(), LATER);

    assertThat(trace).containsExactly("a>", "b>", "c>", "sink", "<c", "<b", "<a");
  }

  @Test
  @DisplayName("a middleware may change the message it passes on")
  void middlewareChangesMessage() {
    PublishMiddleware stamp =
        (m, chain) -> chain.proceed(m.toBuilder().header("stamped", "yes").build());

    pipeline(PublisherOptions.builder().middlewares(stamp)).publish(message().build(), LATER);

    assertThat(sent)
        .singleElement()
        .satisfies(m -> assertThat(m.header("stamped")).contains("yes"));
  }

  @Test
  @DisplayName("a middleware returning a receipt without calling proceed is refused by name")
  void forgedReceipt() {
    PublishMiddleware forger =
        PublishMiddleware.named(
            "forger", (m, chain) -> new PublishReceipt(m.id(), m.topic(), Instant.now()));
    PublishPipeline p = pipeline(PublisherOptions.builder().middlewares(forger));

    assertThatThrownBy(() -> p.publish(message().build(), LATER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("forger")
        .hasMessageContaining("proceed");
    assertThat(sent).isEmpty();
  }

  @Test
  @DisplayName("a middleware swallowing a failed send and returning its own receipt is refused")
  void swallowedFailure() {
    PublishMiddleware swallower =
        PublishMiddleware.named(
            "swallower",
            (m, chain) -> {
              try {
                return chain.proceed(m);
              } catch (JQueueException e) {
                return new PublishReceipt(m.id(), m.topic(), Instant.now());
              }
            });
    PublishPipeline p =
        new PublishPipeline(
            PublisherOptions.builder().middlewares(swallower).build(),
            (m, deadline) -> {
              throw new BrokerUnavailableException("down");
            });

    assertThatThrownBy(() -> p.publish(message().build(), LATER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("swallower");
  }

  @Test
  @DisplayName("a middleware returning null is refused by name")
  void nullReceipt() {
    PublishMiddleware nuller = PublishMiddleware.named("nuller", (m, chain) -> null);
    PublishPipeline p = pipeline(PublisherOptions.builder().middlewares(nuller));

    assertThatThrownBy(() -> p.publish(message().build(), LATER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nuller")
        .hasMessageContaining("null");
    assertThat(sent).isEmpty();
  }

  @Test
  @DisplayName("a middleware may retry by calling proceed again after a failure")
  void retryByProceedingTwice() {
    PublishMiddleware retry =
        PublishMiddleware.named(
            "retry",
            (m, chain) -> {
              try {
                return chain.proceed(m);
              } catch (BrokerUnavailableException e) {
                return chain.proceed(m);
              }
            });
    List<Message> attempts = new CopyOnWriteArrayList<>();
    MessageSink flaky =
        (m, deadline) -> {
          attempts.add(m);
          if (attempts.size() == 1) {
            throw new BrokerUnavailableException("connection reset");
          }
          return new PublishReceipt(m.id(), m.topic(), Instant.now());
        };
    Message m = message().build();

    PublishReceipt receipt =
        new PublishPipeline(PublisherOptions.builder().middlewares(retry).build(), flaky)
            .publish(m, LATER);

    assertThat(attempts).containsExactly(m, m);
    assertThat(receipt.messageId()).isEqualTo(m.id());
  }

  @Test
  @DisplayName("a message without a topic is refused before the sink")
  void missingTopic() {
    PublishPipeline p = pipeline(PublisherOptions.builder());

    assertThatThrownBy(() -> p.publish(Message.builder().text("x").build(), LATER))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("topic");
    assertThat(sent).isEmpty();
  }

  @Test
  @DisplayName("a payload over the limit is a MessageTooLargeException before the sink")
  void payloadTooLarge() {
    PublishPipeline p =
        pipeline(
            PublisherOptions.builder().limits(MessageLimits.defaults().withMaxPayloadBytes(10)));

    assertThatThrownBy(() -> p.publish(message().payload(new byte[11]).build(), LATER))
        .isInstanceOfSatisfying(
            MessageTooLargeException.class,
            e -> {
              assertThat(e.size()).isEqualTo(11);
              assertThat(e.limit()).isEqualTo(10);
            });
    assertThat(sent).isEmpty();

    p.publish(message().payload(new byte[10]).build(), LATER);
    assertThat(sent).hasSize(1);
  }

  @Test
  @DisplayName("more headers than the limit is a ValidationException before the sink")
  void tooManyHeaders() {
    PublishPipeline p =
        pipeline(PublisherOptions.builder().limits(MessageLimits.defaults().withMaxHeaders(2)));
    Message m = message().header("a", "1").header("b", "2").header("c", "3").build();

    assertThatThrownBy(() -> p.publish(m, LATER))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("3 headers")
        .hasMessageContaining("limit of 2");
    assertThat(sent).isEmpty();
  }

  @Test
  @DisplayName("default headers count towards the header limit")
  void defaultHeadersCountTowardsLimit() {
    PublishPipeline p =
        pipeline(
            PublisherOptions.builder()
                .defaultHeaders(Map.of("service", "users"))
                .limits(MessageLimits.defaults().withMaxHeaders(2)));

    assertThatThrownBy(() -> p.publish(message().header("a", "1").header("b", "2").build(), LATER))
        .isInstanceOf(ValidationException.class);
    assertThat(sent).isEmpty();
  }

  @Test
  @DisplayName("default headers are added only where the message does not set them")
  void defaultHeaders() {
    PublishPipeline p =
        pipeline(
            PublisherOptions.builder().defaultHeaders(Map.of("service", "users", "env", "prod")));

    p.publish(message().header("env", "dev").build(), LATER);
    p.publish(message().build(), LATER);

    assertThat(sent.get(0).headers()).containsEntry("env", "dev").containsEntry("service", "users");
    assertThat(sent.get(1).headers())
        .containsEntry("env", "prod")
        .containsEntry("service", "users");
  }

  @Test
  @DisplayName("user middlewares already see the default headers")
  void middlewaresSeeDefaultHeaders() {
    AtomicReference<Message> seen = new AtomicReference<>();
    PublishMiddleware spy =
        (m, chain) -> {
          seen.set(m);
          return chain.proceed(m);
        };
    PublishPipeline p =
        pipeline(
            PublisherOptions.builder().defaultHeaders(Map.of("service", "users")).middlewares(spy));

    p.publish(message().build(), LATER);

    assertThat(seen.get().header("service")).contains("users");
  }

  @Test
  @DisplayName("a deadline already past is a PublishTimeoutException and nothing is sent")
  void deadlinePassed() {
    PublishPipeline p = pipeline(PublisherOptions.builder());

    assertThatThrownBy(() -> p.publish(message().build(), Instant.now().minusSeconds(1)))
        .isInstanceOf(PublishTimeoutException.class)
        .hasMessageContaining("not sent");
    assertThat(sent).isEmpty();
  }

  @Test
  @DisplayName("the chain exposes the deadline it was given and the publisher id")
  void chainDeadline() {
    AtomicReference<PublishChain> chainSeen = new AtomicReference<>();
    PublishMiddleware spy =
        (m, chain) -> {
          chainSeen.set(chain);
          return chain.proceed(m);
        };
    Instant deadline = Instant.now().plusSeconds(42);
    PublishPipeline p = pipeline(PublisherOptions.builder().id("pub-7").middlewares(spy));

    p.publish(message().build(), deadline);

    assertThat(chainSeen.get().deadline()).isEqualTo(deadline);
    assertThat(chainSeen.get().publisherId()).isEqualTo("pub-7");
    assertThat(chainSeen.get().remaining())
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofSeconds(42));
  }

  @Test
  @DisplayName("the sink receives the caller's deadline")
  void sinkGetsDeadline() {
    AtomicReference<Instant> sinkDeadline = new AtomicReference<>();
    Instant deadline = Instant.now().plusSeconds(5);

    new PublishPipeline(
            PublisherOptions.defaults(),
            (m, d) -> {
              sinkDeadline.set(d);
              return new PublishReceipt(m.id(), m.topic(), Instant.now());
            })
        .publish(message().build(), deadline);

    assertThat(sinkDeadline.get()).isEqualTo(deadline);
  }

  @Test
  @DisplayName("an error thrown by a middleware reaches the caller and nothing is sent")
  void middlewareThrows() {
    PublishMiddleware refuse =
        (m, chain) -> {
          throw new ValidationException("schema mismatch");
        };
    PublishPipeline p = pipeline(PublisherOptions.builder().middlewares(refuse));

    assertThatThrownBy(() -> p.publish(message().build(), LATER))
        .isInstanceOf(ValidationException.class)
        .hasMessage("schema mismatch");
    assertThat(sent).isEmpty();
  }

  @Test
  @DisplayName("a middleware passing null to proceed is refused by name")
  void nullMessageToProceed() {
    PublishMiddleware broken = PublishMiddleware.named("broken", (m, chain) -> chain.proceed(null));
    PublishPipeline p = pipeline(PublisherOptions.builder().middlewares(broken));

    assertThatThrownBy(() -> p.publish(message().build(), LATER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broken");
    assertThat(sent).isEmpty();
  }
}
