package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueFullException;
import io.jqueue.ValidationException;
import io.jqueue.middleware.Compression;
import io.jqueue.middleware.CorrelationId;
import io.jqueue.middleware.Encryption;
import io.jqueue.middleware.KeyRing;
import io.jqueue.middleware.PublishLogging;
import io.jqueue.middleware.PublishMetrics;
import io.jqueue.middleware.Retry;
import io.jqueue.middleware.SchemaVersion;
import io.jqueue.middleware.Validation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pipelined path of the publish chain: same contract as the synchronous one, no waiting. */
class PublishPipelineAsyncTest {
  private static final Instant LATER = Instant.now().plusSeconds(3_600);

  private final PendingSink sink = new PendingSink();
  private final List<String> trace = new CopyOnWriteArrayList<>();

  private static Message message() {
    return Message.builder().topic("orders").text("hello").build();
  }

  private PublishPipeline pipeline(AsyncPublishMiddleware... middlewares) {
    return new PublishPipeline(PublisherOptions.builder().middlewares(middlewares).build(), sink);
  }

  /** A named async middleware made of a function, as an application would write one. */
  private static AsyncPublishMiddleware async(
      String name, BiFunction<Message, AsyncPublishChain, CompletableFuture<PublishReceipt>> body) {
    return new AsyncPublishMiddleware() {
      @Override
      public CompletableFuture<PublishReceipt> publishAsync(Message m, AsyncPublishChain chain) {
        return body.apply(m, chain);
      }

      @Override
      public PublishReceipt publish(Message m, PublishChain chain) {
        throw new AssertionError("the synchronous path must not run");
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  private AsyncPublishMiddleware tracing(String name) {
    return async(
        name,
        (m, chain) -> {
          trace.add(name + ">");
          return chain.proceed(m).whenComplete((r, e) -> trace.add("<" + name));
        });
  }

  @Test
  @DisplayName(
      "a chain of async middlewares returns before the broker answers; the receipt comes with"
          + " the broker's")
  void returnsBeforeTheBrokerAnswers() {
    PublishPipeline p = pipeline(tracing("a"), tracing("b"));
    Message m = message();

    CompletableFuture<PublishReceipt> f = p.publishAsync(m, LATER);

    assertThat(p.pipelined()).isTrue();
    assertThat(f).isNotDone();
    assertThat(sink.started).containsExactly(m);
    assertThat(trace).containsExactly("a>", "b>");

    sink.confirm(0);

    assertThat(f).isCompletedWithValueMatching(r -> r.messageId().equals(m.id()));
    assertThat(trace).containsExactly("a>", "b>", "<b", "<a");
  }

  @Test
  @DisplayName("the broker's refusal reaches the caller as the same typed error")
  void refusalIsTyped() {
    CompletableFuture<PublishReceipt> f = pipeline(tracing("a")).publishAsync(message(), LATER);

    sink.refuse(0, new QueueFullException("orders", 5));

    assertThat(f)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withCauseInstanceOf(QueueFullException.class);
  }

  @Test
  @DisplayName("a middleware completing with a receipt without calling proceed is refused by name")
  void forgedReceipt() {
    AsyncPublishMiddleware forger =
        async("forger", (m, chain) -> CompletableFuture.completedFuture(PendingSink.receipt(m)));

    CompletableFuture<PublishReceipt> f = pipeline(forger).publishAsync(message(), LATER);

    assertContractBroken(f, "forger", "proceed");
    assertThat(sink.started).isEmpty();
  }

  @Test
  @DisplayName(
      "a middleware answering with its own receipt before the broker confirmed is refused, even"
          + " though it called proceed")
  void receiptBeforeTheConfirm() {
    AsyncPublishMiddleware eager =
        async(
            "eager",
            (m, chain) -> {
              chain.proceed(m);
              return CompletableFuture.completedFuture(PendingSink.receipt(m));
            });

    CompletableFuture<PublishReceipt> f = pipeline(eager).publishAsync(message(), LATER);

    assertContractBroken(f, "eager", "without a successful chain.proceed");
    sink.confirm(0); // too late: the caller was told the truth already
    assertThat(f).isCompletedExceptionally();
  }

  @Test
  @DisplayName("a middleware swallowing a refused send and answering with a receipt is refused")
  void swallowedFailure() {
    AsyncPublishMiddleware swallower =
        async(
            "swallower", (m, chain) -> chain.proceed(m).exceptionally(e -> PendingSink.receipt(m)));

    CompletableFuture<PublishReceipt> f = pipeline(swallower).publishAsync(message(), LATER);
    sink.refuse(0, new BrokerUnavailableException("down"));

    assertContractBroken(f, "swallower", "proceed");
  }

  @Test
  @DisplayName("a middleware returning null, or completing with null, is refused by name")
  void nullResults() {
    AsyncPublishMiddleware nuller = async("nuller", (m, chain) -> null);
    AsyncPublishMiddleware emptied =
        async("emptied", (m, chain) -> chain.proceed(m).thenApply(r -> null));

    CompletableFuture<PublishReceipt> f1 = pipeline(nuller).publishAsync(message(), LATER);
    CompletableFuture<PublishReceipt> f2 = pipeline(emptied).publishAsync(message(), LATER);
    sink.confirm(0);

    assertContractBroken(f1, "nuller", "null");
    assertContractBroken(f2, "emptied", "null");
  }

  @Test
  @DisplayName("a middleware passing null to proceed is refused by name; nothing is sent")
  void nullMessageToProceed() {
    AsyncPublishMiddleware broken = async("broken", (m, chain) -> chain.proceed(null));

    CompletableFuture<PublishReceipt> f = pipeline(broken).publishAsync(message(), LATER);

    assertContractBroken(f, "broken", "null message");
    assertThat(sink.started).isEmpty();
  }

  @Test
  @DisplayName("a middleware that throws fails the future with its error; nothing is sent")
  void middlewareThrows() {
    AsyncPublishMiddleware refuse =
        async(
            "refuse",
            (m, chain) -> {
              throw new ValidationException("schema mismatch");
            });

    CompletableFuture<PublishReceipt> f = pipeline(refuse).publishAsync(message(), LATER);

    assertThat(f)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withCauseInstanceOf(ValidationException.class)
        .withMessageContaining("schema mismatch");
    assertThat(sink.started).isEmpty();
  }

  @Test
  @DisplayName("a message without a topic is refused by the limits check before the broker")
  void limitsCheckRuns() {
    CompletableFuture<PublishReceipt> f =
        pipeline().publishAsync(Message.builder().text("x").build(), LATER);

    assertThat(f)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withCauseInstanceOf(ValidationException.class);
    assertThat(sink.started).isEmpty();
  }

  @Test
  @DisplayName("a deadline already past fails with PublishTimeoutException; nothing is sent")
  void deadlinePassed() {
    CompletableFuture<PublishReceipt> f =
        pipeline().publishAsync(message(), Instant.now().minusSeconds(1));

    assertThat(f)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withCauseInstanceOf(PublishTimeoutException.class)
        .withMessageContaining("not sent");
    assertThat(sink.started).isEmpty();
  }

  @Test
  @DisplayName(
      "a broker answer still missing at the deadline fails the future with"
          + " PublishTimeoutException, and a late confirm changes nothing")
  void noAnswerByTheDeadline() {
    CompletableFuture<PublishReceipt> f =
        pipeline().publishAsync(message(), Instant.now().plusMillis(200));

    assertThat(f)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .withCauseInstanceOf(PublishTimeoutException.class)
        .withMessageContaining("may or may not");
    sink.confirm(0);
    assertThat(f).isCompletedExceptionally();
  }

  @Test
  @DisplayName(
      "one synchronous middleware (Retry) makes the chain synchronous: the broker's send runs,"
          + " one message at a time")
  void synchronousMiddlewareFallsBack() {
    PublishPipeline p =
        new PublishPipeline(
            PublisherOptions.builder()
                .middlewares(Validation.required(), Retry.withDefaults())
                .build(),
            sink);
    Message m = Message.builder().topic("orders").action("a").text("hello").build();

    CompletableFuture<PublishReceipt> f = p.publishAsync(m, LATER);

    assertThat(p.pipelined()).isFalse();
    assertThat(f).isCompletedWithValueMatching(r -> r.messageId().equals(m.id()));
    assertThat(sink.sentSynchronously).containsExactly(m);
    assertThat(sink.started).isEmpty();
  }

  @Test
  @DisplayName(
      "the built-in transforming and observing middlewares all pipeline, and still do their work")
  void builtInsPipeline() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PublishPipeline p =
        new PublishPipeline(
            PublisherOptions.builder()
                .defaultHeaders(Map.of("service", "orders"))
                .middlewares(
                    Validation.required(),
                    CorrelationId.propagate(),
                    SchemaVersion.of("2"),
                    Compression.gzip(0),
                    Encryption.aesGcm(KeyRing.builder().current("k1", new byte[32]).build()),
                    PublishMetrics.of(registry),
                    PublishLogging.create())
                .build(),
            sink);
    Message m = Message.builder().topic("orders").action("created").text("x".repeat(500)).build();

    CompletableFuture<PublishReceipt> f = p.publishAsync(m, LATER);

    assertThat(p.pipelined()).isTrue();
    assertThat(f).isNotDone();
    Message sent = sink.started.get(0);
    assertThat(sent.headers())
        .containsEntry("service", "orders")
        .containsEntry("schema-version", "2")
        .containsEntry(Compression.CONTENT_ENCODING, Compression.GZIP)
        .containsKey(Encryption.KEY_ID_HEADER);
    assertThat(sent.correlationId()).contains(m.id());
    sink.confirm(0);
    assertThat(f).isCompleted();
    assertThat(
            registry
                .counter(
                    PublishMetrics.PUBLISHED,
                    "topic",
                    "orders",
                    "action",
                    "created",
                    "status",
                    "success")
                .count())
        .isEqualTo(1.0);
  }

  private static void assertContractBroken(
      CompletableFuture<PublishReceipt> f, String middleware, String what) {
    assertThat(f)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withCauseInstanceOf(IllegalStateException.class)
        .withMessageContaining(middleware)
        .withMessageContaining(what);
  }
}
