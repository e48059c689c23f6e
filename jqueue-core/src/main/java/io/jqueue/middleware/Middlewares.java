package io.jqueue.middleware;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;

/**
 * The built-in middlewares under short names, for a static import, as SPEC §3 and the seed list
 * them:
 *
 * <pre>{@code
 * import static io.jqueue.middleware.Middlewares.*;
 *
 * PublisherOptions.builder()
 *     .middlewares(validation(), compression(1024), metrics(registry), logging())
 * }</pre>
 *
 * Each returns a new middleware; the classes they come from have builders for every option.
 */
public final class Middlewares {
  private Middlewares() {}

  /** {@link Validation#required()}: topic, action and a payload are required. */
  public static Validation validation() {
    return Validation.required();
  }

  /** {@link Compression#gzip(int)}: payloads over {@code thresholdBytes} are gzipped. */
  public static Compression compression(int thresholdBytes) {
    return Compression.gzip(thresholdBytes);
  }

  /** {@link Encryption#aesGcm(KeyRing)}: AES-256-GCM with the ring's current key. */
  public static Encryption encryption(KeyRing keys) {
    return Encryption.aesGcm(keys);
  }

  /** {@link Retry#withDefaults()}: transient failures retried with backoff and jitter. */
  public static Retry retry() {
    return Retry.withDefaults();
  }

  /** {@link CircuitBreaker#withDefaults()}: fails fast while the broker keeps failing. */
  public static CircuitBreaker circuitBreaker() {
    return CircuitBreaker.withDefaults();
  }

  /** {@link PublishMetrics#of(MeterRegistry)}: publish counters and timers in {@code registry}. */
  public static PublishMetrics metrics(MeterRegistry registry) {
    return PublishMetrics.of(registry);
  }

  /** {@link PublishObservation#of}: a span (observation) per publish, trace context in headers. */
  public static PublishObservation observation(ObservationRegistry registry) {
    return PublishObservation.of(registry);
  }

  /** {@link PublishLogging#create()}: every publish at DEBUG, no payloads, no secrets. */
  public static PublishLogging logging() {
    return PublishLogging.create();
  }

  /** {@link CorrelationId#propagate()}: every message carries its conversation's id. */
  public static CorrelationId correlationId() {
    return CorrelationId.propagate();
  }

  /** {@link SchemaVersion#of(String)}: header {@code schema-version} on every message. */
  public static SchemaVersion schemaVersion(String version) {
    return SchemaVersion.of(version);
  }

  /** Consume side: {@link Decompression#gzip()}, undoes {@link #compression}. */
  public static Decompression decompression() {
    return Decompression.gzip();
  }

  /** Consume side: {@link Decryption#aesGcm(KeyRing)}, undoes {@link #encryption}. */
  public static Decryption decryption(KeyRing keys) {
    return Decryption.aesGcm(keys);
  }

  /** Consume side: {@link CorrelationIdScope#create()}, the handler's conversation id. */
  public static CorrelationIdScope correlationIdScope() {
    return CorrelationIdScope.create();
  }

  /** Consume side: {@link HandleObservation#of}, a span per handling, continuing the trace. */
  public static HandleObservation handleObservation(ObservationRegistry registry) {
    return HandleObservation.of(registry);
  }

  /** Consume side: {@link Deduplication#byMessageId()}, a message id is handled once an hour. */
  public static Deduplication deduplication() {
    return Deduplication.byMessageId();
  }

  /** Consume side: {@link HandlerTimeout#of(Duration)}, attempts fail after {@code timeout}. */
  public static HandlerTimeout handlerTimeout(Duration timeout) {
    return HandlerTimeout.of(timeout);
  }
}
