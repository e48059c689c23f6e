package io.jqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QueueSpecTest {

  @Test
  @DisplayName("a spec built with no settings has the documented defaults")
  void defaults() {
    QueueSpec spec = QueueSpec.builder("orders").build();

    assertThat(spec.name()).isEqualTo("orders");
    assertThat(spec.deadLetterQueue()).isEqualTo("orders.dlq");
    assertThat(spec.maxSize()).isZero();
    assertThat(spec.overflow()).isEqualTo(OverflowPolicy.REJECT);
    assertThat(spec.maxRetries()).isEqualTo(3);
    assertThat(spec.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.messageTtl()).isEmpty();
    assertThat(spec.expiryPolicy()).isEqualTo(ExpiryPolicy.DEAD_LETTER);
    assertThat(spec.backoff())
        .isEqualTo(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMinutes(5)));
    assertThat(spec.ordered()).isFalse();
    assertThat(spec.maxPriority()).isZero();
    assertThat(spec.deadLetterMaxSize()).isZero();
  }

  @Test
  @DisplayName("specs with the same settings are equal; one different setting makes them unequal")
  void equality() {
    QueueSpec a = custom().build();
    QueueSpec b = custom().build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(custom().deadLetterMaxSize(11).build());
    assertThat(a).isNotEqualTo(QueueSpec.builder("other").build());
  }

  @Test
  @DisplayName("differences() is empty for equal specs")
  void noDifferences() {
    assertThat(custom().build().differences(custom().build())).isEmpty();
  }

  @Test
  @DisplayName("differences() lists each changed field as 'field: old -> new', in field order")
  void differences() {
    QueueSpec declared = QueueSpec.builder("orders").build();
    QueueSpec requested =
        QueueSpec.builder("orders")
            .maxRetries(5)
            .visibilityTimeout(Duration.ofSeconds(10))
            .messageTtl(Duration.ofMinutes(1))
            .build();

    assertThat(declared.differences(requested))
        .containsExactly(
            "maxRetries: 3 -> 5", "visibilityTimeout: PT30S -> PT10S", "messageTtl: null -> PT1M");
  }

  @Test
  @DisplayName("a queue cannot be both ordered and prioritised")
  void orderedAndPrioritised() {
    QueueSpec.Builder builder = QueueSpec.builder("orders").ordered(true).maxPriority(10);

    assertThatThrownBy(builder::build)
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("ordered")
        .hasMessageContaining("prioritised");
  }

  @Test
  @DisplayName("ordered alone and prioritised alone are both allowed")
  void orderedOrPrioritised() {
    assertThat(QueueSpec.builder("a").ordered(true).build().ordered()).isTrue();
    assertThat(QueueSpec.builder("b").maxPriority(255).build().maxPriority()).isEqualTo(255);
  }

  @Test
  @DisplayName("a queue name ending in .dlq is refused: that suffix is reserved")
  void dlqSuffix() {
    assertThatThrownBy(() -> QueueSpec.builder("orders.dlq"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(".dlq");
  }

  @Test
  @DisplayName("a queue name must leave room for its .dlq suffix within 255 bytes")
  void nameLength() {
    assertThat(QueueSpec.builder("q".repeat(251)).build().deadLetterQueue()).hasSize(255);
    assertThatThrownBy(() -> QueueSpec.builder("q".repeat(252)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("251");
  }

  @Test
  @DisplayName("an invalid queue name is refused, naming the queue name")
  void invalidName() {
    assertThatThrownBy(() -> QueueSpec.builder("bad name"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("queue name");
    assertThatThrownBy(() -> QueueSpec.builder(null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("queue name");
  }

  @Test
  @DisplayName("settings out of range are refused, each naming its field")
  void outOfRange() {
    QueueSpec.Builder b = QueueSpec.builder("orders");

    assertRefused(() -> b.maxSize(-1), "maxSize");
    assertRefused(() -> b.maxRetries(0), "maxRetries");
    assertRefused(() -> b.maxRetries(10_001), "maxRetries");
    assertRefused(() -> b.visibilityTimeout(Duration.ZERO), "visibilityTimeout");
    assertRefused(
        () -> b.visibilityTimeout(Duration.ofHours(12).plusMillis(1)), "visibilityTimeout");
    assertRefused(() -> b.visibilityTimeout(null), "visibilityTimeout");
    assertRefused(() -> b.messageTtl(Duration.ZERO), "messageTtl");
    assertRefused(() -> b.messageTtl(Duration.ofSeconds(-5)), "messageTtl");
    assertRefused(() -> b.maxPriority(-1), "maxPriority");
    assertRefused(() -> b.maxPriority(256), "maxPriority");
    assertRefused(() -> b.deadLetterMaxSize(-1), "deadLetterMaxSize");
  }

  @Test
  @DisplayName("the boundary values of every range are accepted")
  void boundaries() {
    QueueSpec spec =
        QueueSpec.builder("orders")
            .maxRetries(10_000)
            .visibilityTimeout(Duration.ofHours(12))
            .maxPriority(255)
            .build();
    QueueSpec low =
        QueueSpec.builder("orders").maxRetries(1).visibilityTimeout(Duration.ofMillis(1)).build();

    assertThat(spec.maxRetries()).isEqualTo(10_000);
    assertThat(spec.visibilityTimeout()).isEqualTo(Duration.ofHours(12));
    assertThat(low.maxRetries()).isEqualTo(1);
    assertThat(low.visibilityTimeout()).isEqualTo(Duration.ofMillis(1));
  }

  private static QueueSpec.Builder custom() {
    return QueueSpec.builder("orders")
        .maxSize(1_000)
        .overflow(OverflowPolicy.BLOCK)
        .maxRetries(7)
        .visibilityTimeout(Duration.ofSeconds(45))
        .messageTtl(Duration.ofHours(1))
        .expiryPolicy(ExpiryPolicy.DROP)
        .backoff(Backoff.fixed(Duration.ofSeconds(3)))
        .maxPriority(9)
        .deadLetterMaxSize(10);
  }

  private static void assertRefused(ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOf(ValidationException.class).hasMessageContaining(field);
  }
}
