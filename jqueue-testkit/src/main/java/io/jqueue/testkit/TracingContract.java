package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.ConsumerOptions;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.middleware.HandleObservation;
import io.jqueue.middleware.PublishObservation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Tracing end to end: a message published through {@link PublishObservation} carries the W3C trace
 * context in its headers through the broker, and {@link HandleObservation} continues the trace, so
 * Micrometer's test tracer sees the handler's span as a child of the publish span, with retries and
 * dead-letters as span events. Without tracing, trace headers are ordinary headers.
 */
public abstract class TracingContract extends ContractSupport {
  private final SimpleTracer tracer = new SimpleTracer();
  private final ObservationRegistry registry = ObservationRegistry.create();
  private Publisher traced;

  @BeforeEach
  void trace() {
    W3cTraceContext propagator = new W3cTraceContext(tracer);
    registry
        .observationConfig()
        .observationHandler(
            new FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    traced =
        broker.publisher(
            PublisherOptions.builder().middlewares(PublishObservation.of(registry)).build());
  }

  /**
   * Publishes {@code message} inside an application span, as from an HTTP request: the test tracer
   * gives trace ids only to spans made by {@code nextSpan}, not to a root producer span.
   */
  private void publishInRequest(Message message) {
    Observation.createNotStarted("request", registry).observe(() -> traced.publish(message));
  }

  private ConsumerOptions observed() {
    return ConsumerOptions.builder().middlewares(HandleObservation.of(registry)).build();
  }

  /** The finished spans of {@code operation} ({@code publish} or {@code process}), in order. */
  private List<SimpleSpan> finished(String operation) {
    return tracer.getSpans().stream()
        .filter(s -> operation.equals(s.getTags().get(PublishObservation.OPERATION)))
        .filter(s -> s.getEndTimestamp().toEpochMilli() != 0)
        .toList();
  }

  private static List<String> events(SimpleSpan span) {
    return span.getEvents().stream().map(Map.Entry::getValue).toList();
  }

  @Test
  @DisplayName(
      "the handler's span is a child of the publish span: same trace id, the publish span as"
          + " parent, and the traceparent and tracestate headers arrive at the handler")
  void handlerSpanIsChildOfPublishSpan() {
    String q = declare(queue("traced"));
    ConcurrentLinkedQueue<Message> handled = new ConcurrentLinkedQueue<>();
    broker.subscribe(q, observed(), d -> handled.add(d.message()));

    publishInRequest(text(q, "order-1"));

    eventually().until(() -> finished("process").size() == 1);
    SimpleSpan publish = finished("publish").get(0);
    SimpleSpan handle = finished("process").get(0);
    assertThat(publish.getKind()).isEqualTo(Span.Kind.PRODUCER);
    assertThat(handle.getKind()).isEqualTo(Span.Kind.CONSUMER);
    assertThat(handle.getTraceId()).isEqualTo(publish.getTraceId());
    assertThat(handle.getParentId()).isEqualTo(publish.getSpanId());
    assertThat(handle.getTags())
        .containsEntry(PublishObservation.DESTINATION, q)
        .containsEntry(PublishObservation.OUTCOME, "ack");
    assertThat(publish.getTags()).containsEntry(PublishObservation.OUTCOME, "success");
    assertThat(publish.getTraceId()).isNotBlank();
    Message got = handled.peek();
    assertThat(got.header(JQueueHeaders.TRACEPARENT))
        .hasValueSatisfying(
            v -> assertThat(v).contains(publish.getTraceId() + "-" + publish.getSpanId() + "-"));
    assertThat(got.header(JQueueHeaders.TRACESTATE))
        .contains(W3cTraceContext.STATE_KEY + "=" + publish.getSpanId());
  }

  @Test
  @DisplayName(
      "a handler failing once then succeeding makes two child spans of the publish span: the first"
          + " with the error and a retry event, the second acknowledged")
  void retryIsASpanEvent() {
    String q = declare(queue("traced").maxRetries(3).backoff(Backoff.fixed(Duration.ofMillis(10))));
    broker.subscribe(
        q,
        observed(),
        d -> {
          if (d.attempt() == 1) {
            throw new IllegalStateException("first attempt fails");
          }
        });

    publishInRequest(text(q, "order-1"));

    eventually().until(() -> finished("process").size() == 2);
    SimpleSpan publish = finished("publish").get(0);
    List<SimpleSpan> handles = finished("process");
    assertThat(handles)
        .allSatisfy(
            h -> {
              assertThat(h.getTraceId()).isEqualTo(publish.getTraceId());
              assertThat(h.getParentId()).isEqualTo(publish.getSpanId());
            });
    SimpleSpan first = handles.get(0);
    SimpleSpan second = handles.get(1);
    assertThat(first.getTags())
        .containsEntry(HandleObservation.ATTEMPT, "1")
        .containsEntry(PublishObservation.OUTCOME, "retry");
    assertThat(events(first)).containsExactly(HandleObservation.RETRY);
    assertThat(first.getError()).hasMessage("first attempt fails");
    assertThat(second.getTags())
        .containsEntry(HandleObservation.ATTEMPT, "2")
        .containsEntry(PublishObservation.OUTCOME, "ack");
    assertThat(events(second)).isEmpty();
  }

  @Test
  @DisplayName(
      "a message failing every attempt shows a retry event on each attempt but the last, and a"
          + " dead-letter event on the last")
  void deadLetterIsASpanEvent() {
    String q = declare(queue("traced").maxRetries(2).backoff(Backoff.fixed(Duration.ofMillis(10))));
    broker.subscribe(
        q,
        observed(),
        d -> {
          throw new IllegalStateException("attempt " + d.attempt() + " fails");
        });

    publishInRequest(text(q, "order-1"));

    eventually().until(() -> finished("process").size() == 2);
    List<SimpleSpan> handles = finished("process");
    assertThat(events(handles.get(0))).containsExactly(HandleObservation.RETRY);
    assertThat(events(handles.get(1))).containsExactly(HandleObservation.DEAD_LETTER);
    assertThat(handles.get(1).getTags()).containsEntry(PublishObservation.OUTCOME, "dead-letter");
    eventually().until(() -> broker.deadLetters(q).count() == 1);
  }

  @Test
  @DisplayName("without tracing, traceparent and tracestate headers a user set arrive unchanged")
  void userTraceHeadersCarriedUnchanged() {
    String q = declare(queue("untraced"));
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    String state = "vendor=opaque,other=1";
    ConcurrentLinkedQueue<Message> handled = new ConcurrentLinkedQueue<>();
    broker.subscribe(q, d -> handled.add(d.message()));

    publisher.publish(
        Message.builder()
            .topic(q)
            .text("order-1")
            .header(JQueueHeaders.TRACEPARENT, parent)
            .header(JQueueHeaders.TRACESTATE, state)
            .build());

    eventually().until(() -> handled.size() == 1);
    assertThat(handled.peek().headers())
        .containsEntry(JQueueHeaders.TRACEPARENT, parent)
        .containsEntry(JQueueHeaders.TRACESTATE, state);
    assertThat(tracer.getSpans()).isEmpty();
  }
}
