package io.jqueue.middleware;

import static io.jqueue.middleware.PublishObservation.DESTINATION;
import static io.jqueue.middleware.PublishObservation.MESSAGE_ID;
import static io.jqueue.middleware.PublishObservation.OPERATION;
import static io.jqueue.middleware.PublishObservation.OUTCOME;
import static io.jqueue.middleware.PublishObservation.SYSTEM;

import io.jqueue.ConsumeChain;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.Objects;
import java.util.Optional;

/**
 * Observes the handling of every delivery as a Micrometer {@link Observation} named {@value #NAME}
 * whose carrier is the message's headers: with Micrometer Tracing's propagating receiver handler
 * the handler's span continues the trace that {@link PublishObservation} wrote into the message
 * ({@code traceparent}), as a child of the publish span. The observation is current while the
 * handler runs, so what the handler publishes joins the trace.
 *
 * <p>jqueue's outcome step runs inside it, so it records how the attempt ended: key {@value
 * PublishObservation#OUTCOME} is {@code ack}, {@code retry}, {@code dead-letter}, {@code
 * lease-lost}, {@code error} (a middleware failed before the handler) or {@code received} (a pulled
 * delivery, which the caller settles later); a failed attempt that will be delivered again adds
 * event {@value #RETRY}, a dead-lettered one (on request, as undecodable, or after its last
 * attempt) event {@value #DEAD_LETTER}; the handler's exception is the observation's error. Other
 * keys: {@value PublishObservation#SYSTEM}, {@value PublishObservation#OPERATION} ({@code
 * process}), {@value PublishObservation#DESTINATION} (the queue); high-cardinality {@value
 * PublishObservation#MESSAGE_ID} and {@value #ATTEMPT}. List it first, outermost. Thread-safe.
 */
public final class HandleObservation implements ConsumeMiddleware {
  /** The observation name. */
  public static final String NAME = "jqueue.handle";

  /** The event of a failed attempt after which the message is delivered again. */
  public static final String RETRY = "jqueue.retry";

  /** The event of an attempt after which the message went to the dead-letter queue. */
  public static final String DEAD_LETTER = "jqueue.dead-letter";

  /** High-cardinality key: which attempt this is, from 1. */
  public static final String ATTEMPT = "jqueue.attempt";

  private static final Observation.Event RETRY_EVENT = Observation.Event.of(RETRY);
  private static final Observation.Event DEAD_LETTER_EVENT = Observation.Event.of(DEAD_LETTER);

  private final ObservationRegistry registry;
  private final CappedValues queues = new CappedValues(PublishMetrics.DEFAULT_MAX_TAG_VALUES);

  private HandleObservation(ObservationRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Handle observations in {@code registry}. */
  public static HandleObservation of(ObservationRegistry registry) {
    return new HandleObservation(registry);
  }

  @Override
  public void handle(Delivery delivery, ConsumeChain chain) throws Exception {
    if (registry.isNoop()) {
      chain.proceed(delivery);
      return;
    }
    Observation observation = Observation.createNotStarted(NAME, () -> context(delivery), registry);
    observation.start();
    boolean failed = false;
    try (Observation.Scope scope = observation.openScope()) {
      chain.proceed(delivery);
    } catch (Exception | Error e) {
      failed = true;
      observation.error(e);
      throw e;
    } finally {
      observation.lowCardinalityKeyValue(OUTCOME, outcome(observation, delivery, failed));
      observation.stop();
    }
  }

  /** How the attempt ended, after adding the retry or dead-letter event it calls for. */
  private static String outcome(Observation observation, Delivery delivery, boolean failed) {
    Optional<Delivery.Outcome> outcome = delivery.outcome();
    if (outcome.isEmpty()) {
      return failed ? "error" : "received";
    }
    switch (outcome.get()) {
      case ACKED:
        return "ack";
      case FAILED: // the queue's rule: the last attempt's failure dead-letters
        if (delivery.attempt() >= delivery.maxAttempts()) {
          observation.event(DEAD_LETTER_EVENT);
          return "dead-letter";
        }
        observation.event(RETRY_EVENT);
        return "retry";
      case DEAD_LETTERED:
        observation.event(DEAD_LETTER_EVENT);
        return "dead-letter";
      default:
        return "lease-lost";
    }
  }

  private ReceiverContext<Message> context(Delivery delivery) {
    ReceiverContext<Message> context = new ReceiverContext<>((m, key) -> m.headers().get(key));
    Message message = delivery.message();
    context.setCarrier(message);
    context.setContextualName(delivery.queue() + " process");
    context.addLowCardinalityKeyValue(KeyValue.of(SYSTEM, "jqueue"));
    context.addLowCardinalityKeyValue(KeyValue.of(OPERATION, "process"));
    context.addLowCardinalityKeyValue(KeyValue.of(DESTINATION, queues.of(delivery.queue())));
    context.addHighCardinalityKeyValue(KeyValue.of(MESSAGE_ID, message.id()));
    context.addHighCardinalityKeyValue(KeyValue.of(ATTEMPT, Integer.toString(delivery.attempt())));
    return context;
  }

  @Override
  public String name() {
    return "handle-observation";
  }
}
