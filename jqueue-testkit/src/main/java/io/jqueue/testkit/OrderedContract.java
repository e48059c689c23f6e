package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.Capability;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
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

  private void publishInterleaved(String q) {
    for (int i = 0; i < PER_KEY; i++) {
      for (int k = 0; k < KEYS; k++) {
        publisher.publish(
            Message.builder().topic(q).key("key-" + k).text(Integer.toString(i)).build());
      }
    }
  }
}
