package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Message;
import io.jqueue.ValidationException;
import io.jqueue.internal.ConsumePipeline;
import io.jqueue.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeduplicationTest {
  private final ManualTimeSource clock =
      new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger handled = new AtomicInteger();

  private ConsumePipeline pipeline(Deduplication dedup, boolean failing) {
    return new ConsumePipeline(
        List.of(dedup),
        d -> {
          handled.incrementAndGet();
          if (failing) {
            throw new IllegalStateException("boom");
          }
        });
  }

  private static Message msg(String id) {
    return Message.builder().id(id).topic("orders").text("x").build();
  }

  @Test
  @DisplayName("a message handled once is acked without the handler when it comes again")
  void duplicateSkipped() {
    DeduplicationStore store = DeduplicationStore.inMemory(100, Duration.ofMinutes(5), clock::now);
    ConsumePipeline p = pipeline(Deduplication.using(store), false);
    DeliveryStub first = new DeliveryStub(msg("m-1"));
    DeliveryStub again = new DeliveryStub(msg("m-1"));
    DeliveryStub other = new DeliveryStub(msg("m-2"));

    p.run(first);
    p.run(again);
    p.run(other);

    assertThat(handled).hasValue(2);
    assertThat(first.outcomes).containsExactly("ack");
    assertThat(again.outcomes).containsExactly("ack");
    assertThat(other.outcomes).containsExactly("ack");
  }

  @Test
  @DisplayName("a failed attempt is not remembered, so its retry runs")
  void failureNotRemembered() {
    DeduplicationStore store = DeduplicationStore.inMemory(100, Duration.ofMinutes(5), clock::now);

    pipeline(Deduplication.using(store), true).run(new DeliveryStub(msg("m-1")));
    pipeline(Deduplication.using(store), false).run(new DeliveryStub(msg("m-1")));

    assertThat(handled).hasValue(2);
    assertThat(store.contains("m-1")).isTrue();
  }

  @Test
  @DisplayName("a remembered key is forgotten after the window")
  void windowExpires() {
    DeduplicationStore store = DeduplicationStore.inMemory(100, Duration.ofMinutes(5), clock::now);
    store.add("m-1");

    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(store.contains("m-1")).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(store.contains("m-1")).isFalse();
  }

  @Test
  @DisplayName("the store is bounded: past maxEntries the oldest keys go first")
  void bounded() {
    DeduplicationStore.Memory store =
        (DeduplicationStore.Memory)
            DeduplicationStore.inMemory(3, Duration.ofMinutes(5), clock::now);

    for (int i = 0; i < 10; i++) {
      store.add("m-" + i);
    }

    assertThat(store.size()).isEqualTo(3);
    assertThat(store.contains("m-6")).isFalse();
    assertThat(store.contains("m-7")).isTrue();
    assertThat(store.contains("m-9")).isTrue();
  }

  @Test
  @DisplayName("a key function can deduplicate by an idempotency header; null keys never skip")
  void customKey() {
    DeduplicationStore store = DeduplicationStore.inMemory(100, Duration.ofMinutes(5), clock::now);
    ConsumePipeline p =
        pipeline(Deduplication.using(store, m -> m.header("idempotency-key").orElse(null)), false);
    Message a = Message.builder().topic("q").text("1").header("idempotency-key", "pay-1").build();
    Message b = Message.builder().topic("q").text("2").header("idempotency-key", "pay-1").build();
    Message none = Message.builder().id("same").topic("q").text("3").build();

    p.run(new DeliveryStub(a));
    p.run(new DeliveryStub(b));
    p.run(new DeliveryStub(none));
    p.run(new DeliveryStub(none));

    assertThat(handled).hasValue(3);
  }

  @Test
  @DisplayName("nonsense bounds are refused")
  void badBounds() {
    assertThatThrownBy(() -> DeduplicationStore.inMemory(0, Duration.ofMinutes(1)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> DeduplicationStore.inMemory(10, Duration.ZERO))
        .isInstanceOf(ValidationException.class);
  }
}
