package io.jqueue.middleware;

import static io.jqueue.middleware.RecordingObservations.PARENT;
import static io.jqueue.middleware.RecordingObservations.low;
import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.internal.ConsumePipeline;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HandleObservationTest {
  private final RecordingObservations recording = new RecordingObservations();
  private final ObservationRegistry registry = ObservationRegistry.create();

  {
    registry.observationConfig().observationHandler(recording);
  }

  private static Message order() {
    return Message.builder().topic("orders").text("order-1").build();
  }

  private Observation.Context handle(DeliveryStub delivery, io.jqueue.MessageHandler handler) {
    new ConsumePipeline(List.of(HandleObservation.of(registry)), handler).run(delivery);
    return recording.named(HandleObservation.NAME);
  }

  @Test
  @DisplayName(
      "handling is observed as jqueue.handle, current while the handler runs, reading the trace"
          + " context from the headers; an ack adds no event")
  void handleObserved() {
    Message m = order().toBuilder().header(JQueueHeaders.TRACEPARENT, PARENT).build();
    AtomicReference<Observation> current = new AtomicReference<>();

    Observation.Context c =
        handle(new DeliveryStub(m), d -> current.set(registry.getCurrentObservation()));

    assertThat(recording.extracted).containsExactly(PARENT);
    assertThat(current.get().getContext()).isSameAs(c);
    assertThat(c).isInstanceOf(ReceiverContext.class);
    assertThat(low(c, PublishObservation.DESTINATION)).isEqualTo("orders");
    assertThat(low(c, PublishObservation.OPERATION)).isEqualTo("process");
    assertThat(low(c, PublishObservation.OUTCOME)).isEqualTo("ack");
    assertThat(c.getHighCardinalityKeyValue(HandleObservation.ATTEMPT).getValue()).isEqualTo("1");
    assertThat(recording.events).doesNotContainKey(c);
  }

  @Test
  @DisplayName("a failed attempt that is not the last records the error and a retry event")
  void retryEvent() {
    IllegalStateException boom = new IllegalStateException("boom");
    Observation.Context c =
        handle(
            new DeliveryStub(order(), 1, 3),
            d -> {
              throw boom;
            });

    assertThat(c.getError()).isSameAs(boom);
    assertThat(recording.events.get(c)).containsExactly(HandleObservation.RETRY);
    assertThat(low(c, PublishObservation.OUTCOME)).isEqualTo("retry");
  }

  @Test
  @DisplayName("the last attempt failing, and a handler dead-lettering, record a dead-letter event")
  void deadLetterEvent() {
    Observation.Context last =
        handle(
            new DeliveryStub(order(), 3, 3),
            d -> {
              throw new IllegalStateException("boom");
            });
    assertThat(recording.events.get(last)).containsExactly(HandleObservation.DEAD_LETTER);
    assertThat(low(last, PublishObservation.OUTCOME)).isEqualTo("dead-letter");

    recording.stopped.clear();
    Observation.Context rejected = handle(new DeliveryStub(order()), d -> d.deadLetter("bad"));
    assertThat(recording.events.get(rejected)).containsExactly(HandleObservation.DEAD_LETTER);
    assertThat(rejected.getError()).isNull();
  }

  @Test
  @DisplayName("what a handler publishes is observed as a child of the handling")
  void publishInHandlerIsChild() {
    Observation.Context c =
        handle(
            new DeliveryStub(order()),
            d ->
                PublishObservation.of(registry)
                    .publish(order(), new FakeChain(Duration.ofSeconds(5), n -> null)));

    Observation.Context publish = recording.named(PublishObservation.NAME);
    assertThat(publish.getParentObservation().getContextView()).isSameAs(c);
  }

  @Test
  @DisplayName(
      "a pulled delivery is observed while it passes the middlewares, with outcome received and"
          + " no event: the caller settles it later")
  void pulledDelivery() {
    DeliveryStub delivery = new DeliveryStub(order());

    new ConsumePipeline(List.of(HandleObservation.of(registry)), d -> {}).handOut(delivery);

    Observation.Context c = recording.named(HandleObservation.NAME);
    assertThat(low(c, PublishObservation.OUTCOME)).isEqualTo("received");
    assertThat(recording.events).doesNotContainKey(c);
    assertThat(delivery.isSettled()).isFalse();
  }
}
