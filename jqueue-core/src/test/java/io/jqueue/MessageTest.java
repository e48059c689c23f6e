package io.jqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTest {

  @Nested
  @DisplayName("defaults")
  class Defaults {

    @Test
    @DisplayName("the id is a version-7 UUID string")
    void idIsUuidV7() {
      String id = Message.builder().build().id();

      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(7);
      assertThat(uuid.toString()).isEqualTo(id);
    }

    @Test
    @DisplayName("ids built on one thread strictly increase")
    void idsIncrease() {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        ids.add(Message.builder().build().id());
      }

      assertThat(ids).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("the timestamp is the moment the message was built, to the millisecond")
    void timestampIsNow() {
      Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      Message m = Message.builder().build();
      Instant after = Instant.now();

      assertThat(m.timestamp()).isBetween(before, after);
      assertThat(m.timestamp().getNano() % 1_000_000).isZero(); // one clock read: id and time
    }

    @Test
    @DisplayName("a message without payload is empty application/octet-stream with priority 0")
    void emptyMessage() {
      Message m = Message.builder().build();

      assertThat(m.payloadSize()).isZero();
      assertThat(m.contentType()).isEqualTo(Message.OCTET_STREAM);
      assertThat(m.priority()).isZero();
      assertThat(m.topic()).isNull();
      assertThat(m.headers()).isEmpty();
      assertThat(m.key()).isEmpty();
      assertThat(m.ttl()).isEmpty();
      assertThat(m.expiresAt()).isEmpty();
    }
  }

  @Nested
  @DisplayName("payload")
  class Payload {

    @Test
    @DisplayName("data() encodes JSON with content type application/json")
    void dataIsJson() {
      Message m = Message.builder().data(Map.of("name", "ada")).build();

      assertThat(m.contentType()).isEqualTo("application/json");
      assertThat(m.text()).isEqualTo("{\"name\":\"ada\"}");
    }

    @Test
    @DisplayName("text() stores UTF-8 with content type text/plain")
    void textIsPlain() {
      Message m = Message.builder().text("héllo").build();

      assertThat(m.contentType()).isEqualTo("text/plain");
      assertThat(m.payload()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
      assertThat(m.text()).isEqualTo("héllo");
    }

    @Test
    @DisplayName("payload(bytes) has content type application/octet-stream")
    void bytesAreOctetStream() {
      Message m = Message.builder().text("x").payload(new byte[] {1, 2, 3}).build();

      assertThat(m.contentType()).isEqualTo("application/octet-stream");
      assertThat(m.payload()).containsExactly(1, 2, 3);
    }

    @Test
    @DisplayName("the bytes given to the builder are copied: changing them later changes nothing")
    void copiedIn() {
      byte[] bytes = {1, 2, 3};
      Message m = Message.builder().payload(bytes).build();

      bytes[0] = 99;

      assertThat(m.payload()).containsExactly(1, 2, 3);
    }

    @Test
    @DisplayName("the bytes returned by payload() are a copy: changing them changes nothing")
    void copiedOut() {
      Message m = Message.builder().payload(new byte[] {1, 2, 3}).build();

      m.payload()[0] = 99;

      assertThat(m.payload()).containsExactly(1, 2, 3);
      assertThat(m.payloadView().isReadOnly()).isTrue();
    }
  }

  @Nested
  @DisplayName("headers")
  class Headers {

    @Test
    @DisplayName("headers keep their insertion order")
    void insertionOrder() {
      Message m =
          Message.builder().header("zeta", "1").header("alpha", "2").header("mu", "3").build();

      assertThat(m.headers().keySet()).containsExactly("zeta", "alpha", "mu");
      assertThat(m.header("alpha")).contains("2");
    }

    @Test
    @DisplayName("the header map is unmodifiable")
    void unmodifiable() {
      Message m = Message.builder().header("a", "1").build();

      assertThatThrownBy(() -> m.headers().put("b", "2"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(m.headers()).containsOnlyKeys("a");
    }

    @Test
    @DisplayName("a builder reused after build() does not change the built message")
    void builderReuse() {
      Message.Builder b = Message.builder().header("a", "1");
      Message first = b.build();

      b.header("b", "2");

      assertThat(first.headers()).containsOnlyKeys("a");
      assertThat(b.build().id()).isNotEqualTo(first.id()); // each build() gets its own id
    }
  }

  @Nested
  @DisplayName("validation")
  class Validation {

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a/b", "ünïcode", "tab\tname"})
    @DisplayName("an invalid topic name is refused, naming the topic field")
    void invalidTopic(String topic) {
      assertThatThrownBy(() -> Message.builder().topic(topic))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("topic");
    }

    @Test
    @DisplayName("a topic name over 255 bytes is refused; 255 bytes is accepted")
    void topicLength() {
      assertThat(Message.builder().topic("a".repeat(255)).build().topic()).hasSize(255);
      assertThatThrownBy(() -> Message.builder().topic("a".repeat(256)))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("topic")
          .hasMessageContaining("255");
    }

    @Test
    @DisplayName("a topic of letters, digits and . _ : - is accepted")
    void validTopic() {
      assertThat(Message.builder().topic("Orders_v2.eu-west:1").build().topic())
          .isEqualTo("Orders_v2.eu-west:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "nul\u0000", "bell\u0007", "del\u007f"})
    @DisplayName("a header name with a control character is refused, naming the header")
    void controlCharacterInHeaderName(String name) {
      assertThatThrownBy(() -> Message.builder().header(name, "v"))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("header name");
    }

    @Test
    @DisplayName("an empty header name or a null header value is refused")
    void emptyHeaderName() {
      assertThatThrownBy(() -> Message.builder().header("", "v"))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("header");
      assertThatThrownBy(() -> Message.builder().header("h", null))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("'h'");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 256, Integer.MIN_VALUE, Integer.MAX_VALUE})
    @DisplayName("a priority outside 0..255 is refused, naming the priority field")
    void priorityOutOfRange(int priority) {
      assertThatThrownBy(() -> Message.builder().priority(priority))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("priority");
    }

    @Test
    @DisplayName("priorities 0 and 255 are accepted")
    void priorityBounds() {
      assertThat(Message.builder().priority(0).build().priority()).isZero();
      assertThat(Message.builder().priority(255).build().priority()).isEqualTo(255);
    }

    @Test
    @DisplayName("a zero or negative ttl is refused, naming the ttl field")
    void nonPositiveTtl() {
      assertThatThrownBy(() -> Message.builder().ttl(Duration.ZERO))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("ttl");
      assertThatThrownBy(() -> Message.builder().ttl(Duration.ofSeconds(-1)))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("ttl");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t"})
    @DisplayName("a blank id is refused, naming the id field")
    void blankId(String id) {
      assertThatThrownBy(() -> Message.builder().id(id))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("id");
    }

    @Test
    @DisplayName("a null id is refused")
    void nullId() {
      assertThatThrownBy(() -> Message.builder().id(null))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("id");
    }
  }

  @Test
  @DisplayName("toBuilder().build() gives an equal message, id and timestamp included")
  void toBuilderRoundTrip() {
    Message original =
        Message.builder()
            .id("order-1")
            .topic("orders")
            .action("order.created")
            .text("payload")
            .header("tenant", "acme")
            .header("trace", "abc")
            .timestamp(Instant.parse("2024-01-02T03:04:05.678Z"))
            .priority(7)
            .key("customer-9")
            .ttl(Duration.ofMinutes(5))
            .expiresAt(Instant.parse("2024-01-03T00:00:00Z"))
            .build();

    Message copy = original.toBuilder().build();

    assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original).isNotSameAs(original);
    assertThat(copy.headers().keySet()).containsExactly("tenant", "trace");
  }

  @Nested
  @DisplayName("compact form (a generated id kept as bits, no map without headers)")
  class Compact {

    @Test
    @DisplayName("a generated id renders the same string every time, also after toBuilder")
    void generatedIdStable() {
      Message m = Message.builder().topic("orders").text("a").build();

      assertThat(m.id()).isEqualTo(m.id()).hasSize(36);
      assertThat(UUID.fromString(m.id()).version()).isEqualTo(7);
      assertThat(m.toBuilder().header("h", "v").build().id()).isEqualTo(m.id());
    }

    @Test
    @DisplayName("the same id given as a string equals the generated one, with the same hash")
    void generatedAndGivenIdEqual() {
      Message generated = Message.builder().topic("orders").text("a").build();
      Message given = generated.toBuilder().id(generated.id()).build();

      assertThat(given).isEqualTo(generated).hasSameHashCodeAs(generated);
      assertThat(generated).isEqualTo(given);
      assertThat(generated.toBuilder().id("other").build()).isNotEqualTo(generated);
    }

    @Test
    @DisplayName("two generated ids never compare equal")
    void generatedIdsDiffer() {
      Message a = Message.builder().topic("orders").text("a").timestamp(Instant.EPOCH).build();
      Message b = Message.builder().topic("orders").text("a").timestamp(Instant.EPOCH).build();

      assertThat(a).isNotEqualTo(b);
    }

    @Test
    @DisplayName("no headers: an empty, unmodifiable map that answers any lookup")
    void noHeaders() {
      Message m = Message.builder().topic("orders").header("h", "v").removeHeader("h").build();

      assertThat(m.headers()).isEmpty();
      assertThat(m.header("h")).isEmpty();
      assertThat(m.headers().get(null)).isNull();
      assertThatThrownBy(() -> m.headers().put("h", "v"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("the timestamp keeps its nanoseconds; key, ttl and expiry survive a copy")
    void timeAndRareFields() {
      Instant t = Instant.parse("2026-12-02T10:00:00.123456789Z");
      Message m = Message.builder().topic("orders").timestamp(t).key("k").build();

      assertThat(m.timestamp()).isEqualTo(t);
      assertThat(m.toBuilder().build().key()).contains("k");
      assertThat(m.toBuilder().key(null).build()).isNotEqualTo(m);
      assertThat(m.toBuilder().key(null).build().key()).isEmpty();
      assertThat(m.toBuilder().ttl(Duration.ofSeconds(1)).build().ttl())
          .contains(Duration.ofSeconds(1));
    }
  }

  @Test
  @DisplayName("a changed copy from toBuilder() differs from the original")
  void toBuilderChange() {
    Message original = Message.builder().topic("orders").text("a").build();

    Message changed = original.toBuilder().text("b").build();

    assertThat(changed).isNotEqualTo(original);
    assertThat(changed.id()).isEqualTo(original.id());
    assertThat(original.text()).isEqualTo("a");
  }

  @Test
  @DisplayName("toString() shows metadata but never the payload")
  void toStringHidesPayload() {
    Message text = Message.builder().topic("logins").text("password=hunter2").build();
    Message json = Message.builder().topic("cards").data(Map.of("pan", "4111111111111111")).build();

    assertThat(text.toString())
        .contains(text.id(), "logins", "16 bytes")
        .doesNotContain("hunter2", "password");
    assertThat(json.toString()).contains("cards").doesNotContain("4111111111111111", "pan");
  }

  @Test
  @DisplayName(
      "correlation id and reply-to are headers with accessors; null removes, blank is refused")
  void correlationAndReplyTo() {
    Message m = Message.builder().topic("q").correlationId("req-456").replyTo("replies").build();

    assertThat(m.correlationId()).contains("req-456");
    assertThat(m.replyTo()).contains("replies");
    assertThat(m.headers())
        .containsEntry(JQueueHeaders.CORRELATION_ID, "req-456")
        .containsEntry(JQueueHeaders.REPLY_TO, "replies");
    Message cleared = m.toBuilder().correlationId(null).replyTo(null).build();
    assertThat(cleared.correlationId()).isEmpty();
    assertThat(cleared.replyTo()).isEmpty();
    assertThat(cleared.headers()).isEmpty();
    assertThatThrownBy(() -> Message.builder().correlationId(" "))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("correlation-id");
  }
}
