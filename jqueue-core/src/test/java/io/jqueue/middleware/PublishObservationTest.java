package io.jqueue.middleware;

import static io.jqueue.middleware.RecordingObservations.PARENT;
import static io.jqueue.middleware.RecordingObservations.low;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.AsyncPublishChain;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublishObservationTest {
  private final RecordingObservations recording = new RecordingObservations();
  private final ObservationRegistry registry = ObservationRegistry.create();

  {
    registry.observationConfig().observationHandler(recording);
  }

  private static Message order() {
    return Message.builder().topic("orders").text("order-1").build();
  }

  @Test
  @DisplayName(
      "a publish is observed as jqueue.publish: the tracing handler's headers go out with the"
          + " message, which keeps its id; topic and outcome are low-cardinality, the id is not")
  void publishObserved() {
    FakeChain chain = new FakeChain(Duration.ofSeconds(5), n -> null);
    Message m = order();

    PublishObservation.of(registry).publish(m, chain);

    Message sent = chain.attempts.get(0);
    assertThat(sent.id()).isEqualTo(m.id());
    assertThat(sent.header(JQueueHeaders.TRACEPARENT)).contains(PARENT);
    Observation.Context c = recording.only();
    assertThat(c.getName()).isEqualTo(PublishObservation.NAME);
    assertThat(c).isInstanceOf(SenderContext.class);
    assertThat(low(c, PublishObservation.DESTINATION)).isEqualTo("orders");
    assertThat(low(c, PublishObservation.OUTCOME)).isEqualTo("success");
    assertThat(low(c, PublishObservation.OPERATION)).isEqualTo("publish");
    assertThat(low(c, PublishObservation.MESSAGE_ID)).isNull();
    assertThat(c.getHighCardinalityKeyValue(PublishObservation.MESSAGE_ID).getValue())
        .isEqualTo(m.id());
  }

  @Test
  @DisplayName("a failed publish records the error and outcome error, and rethrows it unchanged")
  void publishErrorObserved() {
    BrokerUnavailableException down = new BrokerUnavailableException("down", null);
    FakeChain chain = new FakeChain(Duration.ofSeconds(5), n -> down);

    assertThatThrownBy(() -> PublishObservation.of(registry).publish(order(), chain))
        .isSameAs(down);

    Observation.Context c = recording.only();
    assertThat(c.getError()).isSameAs(down);
    assertThat(low(c, PublishObservation.OUTCOME)).isEqualTo("error");
  }

  @Test
  @DisplayName(
      "with no observation handler the message passes on as the same instance: a traceparent the"
          + " user set is left alone and nothing is allocated for it")
  void noopPassesThrough() {
    Message m = order().toBuilder().header(JQueueHeaders.TRACEPARENT, "user-value").build();
    for (ObservationRegistry r : List.of(ObservationRegistry.NOOP, ObservationRegistry.create())) {
      FakeChain chain = new FakeChain(Duration.ofSeconds(5), n -> null);
      PublishObservation.of(r).publish(m, chain);
      assertThat(chain.attempts.get(0)).isSameAs(m);
    }
  }

  @Test
  @DisplayName("on the pipelined path the observation stops when the broker answers")
  void asyncPublishObserved() {
    CompletableFuture<PublishReceipt> answer = new CompletableFuture<>();
    AtomicReference<Message> sent = new AtomicReference<>();
    AsyncPublishChain chain =
        new AsyncPublishChain() {
          @Override
          public CompletableFuture<PublishReceipt> proceed(Message message) {
            sent.set(message);
            return answer;
          }

          @Override
          public Instant deadline() {
            return Instant.now().plusSeconds(5);
          }

          @Override
          public String publisherId() {
            return "test";
          }
        };

    CompletableFuture<PublishReceipt> result =
        PublishObservation.of(registry).publishAsync(order(), chain);

    assertThat(sent.get().header(JQueueHeaders.TRACEPARENT)).contains(PARENT);
    assertThat(recording.stopped).isEmpty();
    IllegalStateException refused = new IllegalStateException("nacked");
    answer.completeExceptionally(refused);
    assertThat(result).isCompletedExceptionally();
    assertThat(recording.only().getError()).isSameAs(refused);
    assertThat(low(recording.only(), PublishObservation.OUTCOME)).isEqualTo("error");
  }
}
