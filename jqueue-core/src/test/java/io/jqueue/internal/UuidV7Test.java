package io.jqueue.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UuidV7Test {

  @Test
  @DisplayName("ids have version 7 and the RFC 9562 variant (bits 10)")
  void versionAndVariant() {
    for (int i = 0; i < 1_000; i++) {
      UUID id = UuidV7.next();

      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
      assertThat(id.getLeastSignificantBits() >>> 62).isEqualTo(0b10L);
    }
  }

  @Test
  @DisplayName("millisOf() reads back a time within a second of now")
  void millisOf() {
    long before = System.currentTimeMillis();
    UUID id = UuidV7.next();

    assertThat(UuidV7.millisOf(id)).isCloseTo(before, within(1_000L));
  }

  @Test
  @DisplayName("100,000 ids generated on 4 threads are all distinct, and increasing per thread")
  void distinctAcrossThreads() throws Exception {
    int threads = 4;
    int perThread = 25_000;
    Set<UUID> all = ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> increasing = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        increasing.add(
            pool.submit(
                () -> {
                  start.await();
                  boolean ordered = true;
                  UUID previous = null;
                  for (int i = 0; i < perThread; i++) {
                    UUID id = UuidV7.next();
                    all.add(id);
                    ordered &= previous == null || id.compareTo(previous) > 0;
                    previous = id;
                  }
                  return ordered;
                }));
      }
      start.countDown();
      for (Future<Boolean> f : increasing) {
        assertThat(f.get(30, SECONDS)).as("ids of one thread increase").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(all).hasSize(threads * perThread);
  }

  @Test
  @DisplayName("the same millisecond given repeatedly keeps increasing, carrying after 4096 ids")
  void counterCarries() {
    long millis = System.currentTimeMillis();
    long previous = UuidV7.nextHigh(millis);
    int carries = 0;

    for (int i = 0; i < 5_000; i++) {
      long high = UuidV7.nextHigh(millis);
      assertThat(high).isGreaterThan(previous);
      assertThat(high & 0xF000L).as("version nibble").isEqualTo(0x7000L);
      if ((high >>> 16) == (previous >>> 16)) {
        assertThat(high & 0xFFF).isEqualTo((previous & 0xFFF) + 1);
      } else {
        assertThat(previous & 0xFFF).as("counter before a carry").isEqualTo(0xFFFL);
        assertThat(high >>> 16).isEqualTo((previous >>> 16) + 1);
        assertThat(high & 0xFFF).as("counter after a carry").isZero();
        carries++;
      }
      previous = high;
    }

    assertThat(carries).isBetween(1, 2);
  }

  @Test
  @DisplayName("a clock stepping back never makes a smaller id")
  void clockStepsBack() {
    long now = System.currentTimeMillis();
    long first = UuidV7.nextHigh(now);

    long afterStepBack = UuidV7.nextHigh(now - 60_000);

    assertThat(afterStepBack).isGreaterThan(first);
    assertThat(afterStepBack & 0xF000L).isEqualTo(0x7000L);
  }
}
