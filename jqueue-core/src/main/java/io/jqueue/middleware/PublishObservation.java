package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Observes every publish as a Micrometer {@link Observation} named {@value #NAME} whose carrier is
 * the message's headers: with Micrometer Tracing's propagating sender handler this makes a producer
 * span and writes its context into the message (W3C {@code traceparent} and {@code tracestate} with
 * an OpenTelemetry or W3C propagator), so {@link HandleObservation} on the consumer continues the
 * trace. The observation covers the rest of the chain, broker confirm included; it is a child of
 * the observation current on the publishing thread (for example a handler's).
 *
 * <p>Low-cardinality keys: {@value #SYSTEM}, {@value #OPERATION}, {@value #DESTINATION} (the topic,
 * capped like {@link PublishMetrics}) and {@value #OUTCOME} ({@code success} or {@code error});
 * high-cardinality: {@value #MESSAGE_ID}. No payload or header value is recorded. List it outermost
 * so that what the other middlewares do is inside the span. With a no-op registry it passes the
 * message on untouched. Thread-safe.
 */
public final class PublishObservation implements AsyncPublishMiddleware {
  /** The observation name. */
  public static final String NAME = "jqueue.publish";

  /** Key: the messaging system, always {@code jqueue}. */
  public static final String SYSTEM = "messaging.system";

  /** Key: {@code publish} here, {@code process} for {@link HandleObservation}. */
  public static final String OPERATION = "messaging.operation";

  /** Key: the topic published to, or the queue handled from. */
  public static final String DESTINATION = "messaging.destination.name";

  /** Key: how the publish (or handling) ended. */
  public static final String OUTCOME = "outcome";

  /** High-cardinality key: the message id. */
  public static final String MESSAGE_ID = "messaging.message.id";

  private final ObservationRegistry registry;
  private final CappedValues topics = new CappedValues(PublishMetrics.DEFAULT_MAX_TAG_VALUES);

  private PublishObservation(ObservationRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Publish observations in {@code registry}. */
  public static PublishObservation of(ObservationRegistry registry) {
    return new PublishObservation(registry);
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    Observation observation = observation(message);
    if (observation.isNoop()) {
      return chain.proceed(message);
    }
    observation.start();
    try (Observation.Scope scope = observation.openScope()) {
      PublishReceipt receipt = chain.proceed(carried(observation));
      observation.lowCardinalityKeyValue(OUTCOME, "success");
      return receipt;
    } catch (RuntimeException | Error e) {
      observation.lowCardinalityKeyValue(OUTCOME, "error");
      observation.error(e);
      throw e;
    } finally {
      observation.stop();
    }
  }

  /** Like {@link #publish}; the observation stops when the broker answers. */
  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    Observation observation = observation(message);
    if (observation.isNoop()) {
      return chain.proceed(message);
    }
    observation.start();
    CompletableFuture<PublishReceipt> sent;
    try (Observation.Scope scope = observation.openScope()) {
      sent = chain.proceed(carried(observation));
    } catch (RuntimeException | Error e) {
      observation.lowCardinalityKeyValue(OUTCOME, "error");
      observation.error(e);
      observation.stop();
      throw e;
    }
    return sent.whenComplete(
        (receipt, error) -> {
          if (error != null) {
            observation.lowCardinalityKeyValue(OUTCOME, "error");
            observation.error(
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error);
          } else {
            observation.lowCardinalityKeyValue(OUTCOME, "success");
          }
          observation.stop();
        });
  }

  private Observation observation(Message message) {
    if (registry.isNoop()) {
      return Observation.NOOP;
    }
    return Observation.createNotStarted(NAME, () -> context(message), registry);
  }

  private SenderContext<Message.Builder> context(Message message) {
    SenderContext<Message.Builder> context = new SenderContext<>(Message.Builder::header);
    context.setCarrier(message.toBuilder());
    String topic = message.topic() == null ? PublishMetrics.NONE : message.topic();
    context.setContextualName(topic + " publish");
    context.addLowCardinalityKeyValue(KeyValue.of(SYSTEM, "jqueue"));
    context.addLowCardinalityKeyValue(KeyValue.of(OPERATION, "publish"));
    context.addLowCardinalityKeyValue(KeyValue.of(DESTINATION, topics.of(topic)));
    context.addHighCardinalityKeyValue(KeyValue.of(MESSAGE_ID, message.id()));
    return context;
  }

  /** The message with the headers the started {@code observation}'s handlers wrote into it. */
  @SuppressWarnings("unchecked")
  private static Message carried(Observation observation) {
    return ((SenderContext<Message.Builder>) observation.getContext()).getCarrier().build();
  }

  @Override
  public String name() {
    return "publish-observation";
  }
}
