package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.jqueue.Backoff;
import io.jqueue.Capability;
import io.jqueue.ConsumerOptions;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 ordered queues: per-key order across all subscribers, keys in parallel. */
public abstract class OrderedContract extends ContractSupport {
  private static final int KEYS = 8;
  private static final int PER_KEY = 30;

  @Test
  @DisplayName(
      "per-key order holds with concurrency(8), retries included, while keys run in parallel")
  void perKeyOrder() {
    assumeSupports(Capability.ORDERED_QUEUES);
    String q =
        declare(
            queue("accounts")
                .ordered(true)
                .maxRetries(3)
                .backoff(Backoff.fixed(Duration.ofMillis(30))));
    Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    broker.subscribe(
        q,
        ConsumerOptions.builder().concurrency(8).build(),
        d -> {
          peak.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            String key = d.message().key().orElseThrow();
            int seq = Integer.parseInt(d.text());
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            if (seq % 10 == 5 && failedOnce.add(key + "/" + seq)) {
              throw new IllegalStateException("transient failure of " + key + "/" + seq);
            }
            handled
                .computeIfAbsent(
                    key, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                .add(seq);
          } finally {
            running.decrementAndGet();
          }
        });

    publishInterleaved(q);

    eventually().until(() -> broker.stats(q).acked() == KEYS * PER_KEY);
    assertThat(handled).hasSize(KEYS);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < PER_KEY; i++) {
      expected.add(i);
    }
    handled.forEach((key, seqs) -> assertThat(seqs).as("order of key %s", key).isEqualTo(expected));
    assertThat(peak.get()).as("different keys ran in parallel").isGreaterThan(1);
  }

  @Test
  @DisplayName("per-key order holds across several subscribers of one queue")
  void perKeyOrderAcrossSubscribers() {
    assumeSupports(Capability.ORDERED_QUEUES);
    String q = declare(queue("accounts").ordered(true));
    Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
    for (int s = 0; s < 3; s++) {
      broker.subscribe(
          q,
          ConsumerOptions.builder().id("sub-" + s).concurrency(3).build(),
          d -> {
            Thread.sleep(ThreadLocalRandom.current().nextInt(2));
            handled
                .computeIfAbsent(
                    d.message().key().orElseThrow(),
                    k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                .add(Integer.parseInt(d.text()));
          });
    }

    publishInterleaved(q);

    eventually().until(() -> broker.stats(q).acked() == KEYS * PER_KEY);
    handled.forEach(
        (key, seqs) -> assertThat(seqs).as("order of key %s", key).isSorted().hasSize(PER_KEY));
  }

  @Test
  @DisplayName(
      "pulled deliveries of an ordered queue keep per-key order: a key's next message waits while"
          + " an earlier one is leased, a failed one comes back first")
  void pullKeepsPerKeyOrder() {
    assumeSupports(Capability.ORDERED_QUEUES);
    assumeSupports(Capability.ORDERED_PULL);
    String q = declare(queue("accounts").ordered(true).maxRetries(3).backoff(Backoff.none()));
    for (int i = 0; i < 3; i++) {
      for (String key : List.of("a", "b")) {
        publisher.publish(Message.builder().topic(q).key(key).text(key + i).build());
      }
    }

    // one message per key at a time, however many are asked for
    List<Delivery> first = broker.receive(q, 10, Duration.ofSeconds(5));
    assertThat(first).extracting(Delivery::text).containsExactlyInAnyOrder("a0", "b0");
    assertThat(broker.receive(q, 10, Duration.ofMillis(200))).isEmpty();

    Delivery a0 = first.stream().filter(d -> d.text().equals("a0")).findFirst().orElseThrow();
    Delivery b0 = first.stream().filter(d -> d.text().equals("b0")).findFirst().orElseThrow();
    a0.ack();
    b0.retry(Duration.ZERO);
    Map<String, Integer> next = new ConcurrentHashMap<>();
    List<Delivery> second = new ArrayList<>();
    eventually()
        .until(
            () -> {
              for (Delivery d : broker.receive(q, 10, Duration.ofMillis(100))) {
                second.add(d);
                next.put(d.text(), d.attempt());
              }
              return second.size() == 2;
            });
    // a's next in line; b's failed message again (attempt 2) before anything later of b
    assertThat(next).containsExactlyInAnyOrderEntriesOf(Map.of("a1", 1, "b0", 2));

    // the rest, acked one at a time: never two of a key leased at once, each key in order
    List<String> order = new ArrayList<>();
    List<Delivery> leased = new ArrayList<>(second);
    while (order.size() < 5) {
      if (leased.isEmpty()) {
        eventually().until(() -> leased.addAll(broker.receive(q, 10, Duration.ofMillis(100))));
        assertThat(leased).extracting(d -> d.message().key().orElseThrow()).doesNotHaveDuplicates();
      }
      Delivery d = leased.remove(0);
      order.add(d.text());
      d.ack();
    }
    assertThat(order.stream().filter(t -> t.startsWith("a"))).containsExactly("a1", "a2");
    assertThat(order.stream().filter(t -> t.startsWith("b"))).containsExactly("b0", "b1", "b2");
    assertThat(broker.stats(q).acked()).isEqualTo(6);
  }

  @Test
  @DisplayName(
      "without ORDERED_PULL, receive from an ordered queue is a ValidationException naming it")
  void pullRefusedWithoutOrderedPull() {
    assumeSupports(Capability.ORDERED_QUEUES);
    assumeFalse(
        broker.capabilities().supports(Capability.ORDERED_PULL),
        () -> broker.capabilities().broker() + " supports " + Capability.ORDERED_PULL);
    String q = declare(queue("accounts").ordered(true));
    publisher.publish(Message.builder().topic(q).key("a").text("a0").build());

    assertThatThrownBy(() -> broker.receive(q, 1, Duration.ZERO))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(Capability.ORDERED_PULL.name());
  }

  private void publishInterleaved(String q) {
    for (int i = 0; i < PER_KEY; i++) {
      for (int k = 0; k < KEYS; k++) {
        publisher.publish(
            Message.builder().topic(q).key("key-" + k).text(Integer.toString(i)).build());
      }
    }
  }
}
