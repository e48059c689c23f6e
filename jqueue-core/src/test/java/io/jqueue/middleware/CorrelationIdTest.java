package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Message;
import io.jqueue.ValidationException;
import io.jqueue.internal.ConsumePipeline;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CorrelationIdTest {
  private final ChainStub chain = new ChainStub();
  private final CorrelationId propagate = CorrelationId.propagate();

  private static Message.Builder msg() {
    return Message.builder().topic("orders").text("x");
  }

  @Test
  @DisplayName("a message with a correlation id keeps it")
  void keepsOwn() {
    CorrelationId.runWith(
        "ambient", () -> propagate.publish(msg().correlationId("own").build(), chain));

    assertThat(chain.received.get(0).correlationId()).contains("own");
  }

  @Test
  @DisplayName("without one, the thread's current id is used; without that, the message's own id")
  void ambientThenOwnId() {
    CorrelationId.runWith("req-456", () -> propagate.publish(msg().build(), chain));
    Message starter = msg().build();
    propagate.publish(starter, chain);

    assertThat(chain.received.get(0).correlationId()).contains("req-456");
    assertThat(chain.received.get(1).correlationId()).contains(starter.id());
    assertThat(chain.received.get(1).id()).isEqualTo(starter.id());
  }

  @Test
  @DisplayName("runWith nests and restores the previous id, also when the work throws")
  void scopesNestAndRestore() {
    AtomicReference<String> inner = new AtomicReference<>();
    CorrelationId.runWith(
        "outer",
        () -> {
          assertThatThrownBy(
                  () ->
                      CorrelationId.runWith(
                          "inner",
                          () -> {
                            inner.set(CorrelationId.current().orElseThrow());
                            throw new IllegalStateException("boom");
                          }))
              .hasMessage("boom");
          assertThat(CorrelationId.current()).contains("outer");
        });

    assertThat(inner.get()).isEqualTo("inner");
    assertThat(CorrelationId.current()).isEmpty();
    assertThatThrownBy(() -> CorrelationId.runWith(" ", () -> {}))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  @DisplayName("while a handler runs, what it publishes joins the handled message's conversation")
  void handlerPublishesInTheSameConversation() {
    Message incoming = msg().correlationId("order-77").build();
    Message uncorrelated = msg().build();
    ConsumePipeline pipeline =
        new ConsumePipeline(
            List.of(CorrelationIdScope.create()), d -> propagate.publish(msg().build(), chain));

    pipeline.run(new DeliveryStub(incoming));
    pipeline.run(new DeliveryStub(uncorrelated));

    assertThat(chain.received.get(0).correlationId()).contains("order-77");
    assertThat(chain.received.get(1).correlationId()).contains(uncorrelated.id());
    assertThat(CorrelationId.current()).isEmpty();
  }
}
