package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jqueue.Backoff;
import io.jqueue.ConsumerOptions;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import io.jqueue.Subscription;
import io.jqueue.middleware.HandleObservation;
import io.jqueue.middleware.PublishObservation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Tracing as an application runs it: Micrometer Tracing's OpenTelemetry bridge with the SDK and
 * OpenTelemetry's own W3C propagator (not a test tracer). The publish writes a real {@code
 * traceparent} into the message, the handler's span continues it, and a retry is an event of the
 * failed attempt's span.
 */
class OpenTelemetryTracingTest {
  @Test
  void theHandlersSpanIsAChildOfThePublishSpanThroughAW3cTraceparent() throws Exception {
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build()) {
      io.opentelemetry.api.trace.Tracer otel = provider.get("jqueue-test");
      OtelCurrentTraceContext current = new OtelCurrentTraceContext();
      OtelTracer tracer =
          new OtelTracer(
              otel, current, event -> {}, new OtelBaggageManager(current, List.of(), List.of()));
      OtelPropagator propagator =
          new OtelPropagator(
              ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
      ObservationRegistry observations = ObservationRegistry.create();
      observations
          .observationConfig()
          .observationHandler(
              new ObservationHandler.FirstMatchingCompositeObservationHandler(
                  new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                  new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                  new DefaultTracingObservationHandler(tracer)));

      Queue<String> traceparents = new ConcurrentLinkedQueue<>();
      AtomicInteger attempts = new AtomicInteger();
      try (EmbeddedBroker broker =
          EmbeddedBroker.create(
              EmbeddedConfig.builder().statsReportInterval(Duration.ZERO).build())) {
        broker.declareQueue(
            QueueSpec.builder("traced").maxRetries(2).backoff(Backoff.none()).build());
        Publisher publisher =
            broker.publisher(
                PublisherOptions.builder()
                    .middlewares(PublishObservation.of(observations))
                    .build());
        Subscription sub =
            broker.subscribe(
                "traced",
                ConsumerOptions.builder().middlewares(HandleObservation.of(observations)).build(),
                d -> {
                  traceparents.add(d.message().header(JQueueHeaders.TRACEPARENT).orElse(""));
                  if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("first attempt fails");
                  }
                });
        Observation.createNotStarted("checkout", observations)
            .observe(() -> publisher.publish(Message.builder().topic("traced").text("x").build()));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> exported.getFinishedSpanItems().size() >= 4);
        sub.close();
      }

      List<SpanData> spans = exported.getFinishedSpanItems();
      SpanData publish = only(spans, SpanKind.PRODUCER);
      List<SpanData> handled =
          spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).collect(Collectors.toList());
      assertThat(handled).hasSize(2);
      for (SpanData h : handled) {
        assertThat(h.getTraceId()).isEqualTo(publish.getTraceId());
        assertThat(h.getParentSpanId()).isEqualTo(publish.getSpanId());
      }
      assertThat(traceparents) // version 00, the trace, the publish span, flags (sampled)
          .hasSize(2)
          .allMatch(
              tp ->
                  tp.startsWith("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-")
                      && (Integer.parseInt(tp.substring(53), 16) & 1) == 1);
      SpanData failed =
          handled.stream()
              .filter(h -> h.getStatus().getStatusCode() == StatusCode.ERROR)
              .findFirst()
              .orElseThrow();
      assertThat(failed.getEvents()).extracting(e -> e.getName()).contains(HandleObservation.RETRY);
      SpanData checkout =
          spans.stream().filter(s -> s.getName().equals("checkout")).findFirst().orElseThrow();
      assertThat(publish.getParentSpanId()).isEqualTo(checkout.getSpanId());
    }
  }

  private static SpanData only(List<SpanData> spans, SpanKind kind) {
    List<SpanData> of =
        spans.stream().filter(s -> s.getKind() == kind).collect(Collectors.toList());
    assertThat(of).as(kind + " spans in " + spans).hasSize(1);
    return of.get(0);
  }
}
