package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Message;
import io.jqueue.ValidationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ValidationTest {
  private final ChainStub chain = new ChainStub();

  private static Message.Builder valid() {
    return Message.builder().topic("users").action("user.created").text("{}");
  }

  private static ValidationException refusal(Validation v, Message m) {
    return (ValidationException)
        org.assertj.core.api.Assertions.catchThrowable(() -> v.validate(m));
  }

  @Test
  @DisplayName("a complete message passes on unchanged")
  void validPasses() {
    Message m = valid().build();

    Validation.required().publish(m, chain);

    assertThat(chain.received).containsExactly(m);
  }

  @Test
  @DisplayName("missing topic, action or payload is refused naming the field; nothing is sent")
  void requiredFields() {
    Validation v = Validation.required();

    assertThat(refusal(v, Message.builder().action("a").text("x").build()).field())
        .contains("topic");
    assertThat(refusal(v, Message.builder().topic("t").text("x").build()).field())
        .contains("action");
    ValidationException noPayload = refusal(v, Message.builder().topic("t").action("a").build());
    assertThat(noPayload.field()).contains("payload");
    assertThat(noPayload).hasMessageContaining("payload");
    assertThatThrownBy(() -> v.publish(Message.builder().topic("t").build(), chain))
        .isInstanceOf(ValidationException.class);
    assertThat(chain.received).isEmpty();
  }

  @Test
  @DisplayName("action and payload can be made optional; topic cannot")
  void optionalFields() {
    Validation lenient = Validation.builder().requireAction(false).requirePayload(false).build();

    assertThatCode(() -> lenient.validate(Message.builder().topic("t").build()))
        .doesNotThrowAnyException();
    assertThat(refusal(lenient, Message.builder().build()).field()).contains("topic");
  }

  @Test
  @DisplayName("a payload over the validation limit is refused; at the limit it passes")
  void payloadSize() {
    Validation v = Validation.builder().maxPayloadBytes(4).build();

    assertThatCode(() -> v.validate(valid().text("1234").build())).doesNotThrowAnyException();
    ValidationException e = refusal(v, valid().text("12345").build());
    assertThat(e.field()).contains("payload");
    assertThat(e).hasMessageContaining("5 bytes").hasMessageContaining("4");
  }

  @Test
  @DisplayName("a required header that is missing is refused naming the header")
  void requiredHeader() {
    Validation v = Validation.builder().requireHeader("tenant").build();

    assertThat(refusal(v, valid().build()).field()).contains("headers.tenant");
    assertThatCode(() -> v.validate(valid().header("tenant", "acme").build()))
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("application rules run in order; a rule's own error becomes a ValidationException")
  void applicationRules() {
    Validation v =
        Validation.builder()
            .rule("action", m -> m.action().startsWith("user."))
            .validator(
                m -> {
                  throw new IllegalStateException("schema registry down");
                })
            .build();

    ValidationException byRule = refusal(v, valid().action("order.created").build());
    assertThat(byRule.field()).contains("action");
    ValidationException wrapped = refusal(v, valid().build());
    assertThat(wrapped).hasMessageContaining("schema registry down");
    assertThat(wrapped.getCause()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("nonsense options are refused when building")
  void badOptions() {
    assertThatThrownBy(() -> Validation.builder().maxPayloadBytes(-1))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Validation.builder().requireHeader(" "))
        .isInstanceOf(ValidationException.class);
  }
}
