package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.ValidationException;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {
  private static final Instant FIRST = Instant.parse("2024-05-01T10:15:30.123456789Z");
  private static final Instant NOW = Instant.parse("2024-05-01T10:16:00.5Z");

  private final Message original =
      Message.builder()
          .topic("orders")
          .text("payload")
          .header("tenant", "acme")
          .header(JQueueHeaders.ATTEMPTS, "3")
          .header("trace", "t-1")
          .build();

  @Test
  @DisplayName("stamp then DeadLetter.of reads back every dead-letter fact")
  void stampAndRead() {
    Message dead =
        DeadLetterHeaders.stamp(
            original,
            DeadLetterReason.MAX_RETRIES,
            new IllegalStateException("database down"),
            null,
            3,
            "orders",
            FIRST,
            NOW);

    DeadLetter letter = DeadLetter.of(dead);

    assertThat(letter.message()).isSameAs(dead);
    assertThat(letter.reason()).isEqualTo(DeadLetterReason.MAX_RETRIES);
    assertThat(letter.errorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(letter.errorMessage()).isEqualTo("database down");
    assertThat(letter.attempts()).isEqualTo(3);
    assertThat(letter.originalQueue()).isEqualTo("orders");
    assertThat(letter.firstEnqueuedAt()).contains(FIRST);
    assertThat(letter.deadLetteredAt()).contains(NOW);
  }

  @Test
  @DisplayName("stamp keeps the id, payload and user headers, and drops the attempt counter")
  void stampKeepsMessage() {
    Message dead = stamp(original, DeadLetterReason.EXPIRED, null, null);

    assertThat(dead.id()).isEqualTo(original.id());
    assertThat(dead.text()).isEqualTo("payload");
    assertThat(dead.headers()).containsEntry("tenant", "acme").containsEntry("trace", "t-1");
    assertThat(dead.headers()).doesNotContainKey(JQueueHeaders.ATTEMPTS);
  }

  @Test
  @DisplayName("an error message over 1024 characters is truncated to 1024, ending in ...")
  void longErrorMessageTruncated() {
    RuntimeException error = new RuntimeException("x".repeat(5_000));

    DeadLetter letter = DeadLetter.of(stamp(original, DeadLetterReason.MAX_RETRIES, error, null));

    assertThat(letter.errorMessage()).hasSize(1024).endsWith("...").startsWith("x".repeat(1021));
  }

  @Test
  @DisplayName("an error message of exactly 1024 characters is kept whole")
  void exactLimitKept() {
    RuntimeException error = new RuntimeException("y".repeat(1024));

    DeadLetter letter = DeadLetter.of(stamp(original, DeadLetterReason.MAX_RETRIES, error, null));

    assertThat(letter.errorMessage()).isEqualTo(error.getMessage());
  }

  @Test
  @DisplayName("without an error the detail text is the message and the error class is empty")
  void detailWithoutError() {
    Message failedBefore =
        stamp(original, DeadLetterReason.MAX_RETRIES, new RuntimeException("x"), null);

    DeadLetter letter =
        DeadLetter.of(stamp(failedBefore, DeadLetterReason.REJECTED, null, "unsupported version"));

    assertThat(letter.reason()).isEqualTo(DeadLetterReason.REJECTED);
    assertThat(letter.errorClass()).isEmpty();
    assertThat(letter.errorMessage()).isEqualTo("unsupported version");
  }

  @Test
  @DisplayName("strip removes every jqueue-dlq-* header and jqueue-attempts but keeps user headers")
  void strip() {
    Message dead =
        stamp(original, DeadLetterReason.DECODE_ERROR, new RuntimeException("bad"), null)
            .toBuilder()
            .header(JQueueHeaders.ATTEMPTS, "1")
            .build();

    Message stripped = DeadLetterHeaders.strip(dead);

    assertThat(dead.headers().keySet()).filteredOn(k -> k.startsWith("jqueue-dlq-")).hasSize(7);
    assertThat(stripped.headers().keySet()).noneMatch(k -> k.startsWith("jqueue-dlq-"));
    assertThat(stripped.headers()).doesNotContainKey(JQueueHeaders.ATTEMPTS);
    assertThat(stripped.headers().keySet()).containsExactly("tenant", "trace");
    assertThat(stripped.id()).isEqualTo(original.id());
    assertThat(stripped.text()).isEqualTo("payload");
  }

  @Test
  @DisplayName("DeadLetter.of refuses a message without a dead-letter reason")
  void missingReason() {
    assertThatThrownBy(() -> DeadLetter.of(original))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(JQueueHeaders.DLQ_REASON)
        .hasMessageContaining(original.id());
  }

  @Test
  @DisplayName("DeadLetter.of refuses an unknown dead-letter reason")
  void unknownReason() {
    Message m = original.toBuilder().header(JQueueHeaders.DLQ_REASON, "BORED").build();

    assertThatThrownBy(() -> DeadLetter.of(m))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("BORED");
  }

  /** Stamps with 3 attempts from queue {@code orders} at the fixed test instants. */
  private static Message stamp(
      Message message, DeadLetterReason reason, Throwable error, String detail) {
    return DeadLetterHeaders.stamp(message, reason, error, detail, 3, "orders", FIRST, NOW);
  }
}
