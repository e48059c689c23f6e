package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One timer per queue watches every lease, and no lease expires early or late. */
class LeaseTimelineTest {
  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<Integer> fired = new ArrayList<>();
  private final LeaseTimeline timeline = new LeaseTimeline(time, fired::add);

  private Lease lease(Duration visibility) {
    Message m = Message.builder().topic("q").text("x").build();
    Envelope e = new Envelope(m, time.now(), null, 0);
    return new Lease(e, null, 1, time.now().plus(visibility), "q", visibility);
  }

  private List<Lease> expireDue() {
    List<Lease> all = new ArrayList<>();
    List<Integer> due = new ArrayList<>(fired);
    fired.clear();
    due.forEach(g -> all.addAll(timeline.takeExpired(g, time.now())));
    return all;
  }

  @Test
  void manyLeasesOneTimer() {
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Lease l = lease(Duration.ofSeconds(30));
      timeline.add(l, l.deadline);
      leases.add(l);
      time.advance(Duration.ofMillis(1));
    }
    assertThat(time.pendingTasks()).isEqualTo(1);
    time.advance(Duration.ofMillis(29_998)); // 1 ms before the 1000th lease's deadline
    assertThat(expireDue()).containsExactlyElementsOf(leases.subList(0, 999));
    assertThat(timeline.size()).isEqualTo(1);
    time.advance(Duration.ofMillis(1));
    assertThat(expireDue()).containsExactly(leases.get(999));
    assertThat(timeline.size()).isZero();
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void laterDeadlineKeepsTheLeaseUntilThen() {
    Lease a = lease(Duration.ofSeconds(10));
    Lease b = lease(Duration.ofSeconds(20));
    timeline.add(a, a.deadline);
    timeline.add(b, b.deadline);
    time.advance(Duration.ofSeconds(5));
    timeline.moveDeadline(a, time.now().plusSeconds(20)); // a handler began: due at 25 s now
    time.advance(Duration.ofSeconds(5));
    assertThat(expireDue()).isEmpty(); // a's old due time: refiled, not expired
    time.advance(Duration.ofSeconds(10));
    assertThat(expireDue()).containsExactly(b);
    time.advance(Duration.ofSeconds(4));
    assertThat(expireDue()).isEmpty();
    time.advance(Duration.ofSeconds(1));
    assertThat(expireDue()).containsExactly(a);
  }

  @Test
  void earlierDeadlineRearmsEarlier() {
    Lease a = lease(Duration.ofSeconds(30));
    Lease b = lease(Duration.ofSeconds(30));
    timeline.add(a, a.deadline);
    timeline.add(b, b.deadline);
    timeline.moveDeadline(b, time.now().plusSeconds(2)); // extended to a shorter lease
    time.advance(Duration.ofSeconds(2));
    assertThat(expireDue()).containsExactly(b);
    time.advance(Duration.ofSeconds(28));
    assertThat(expireDue()).containsExactly(a);
  }

  @Test
  void removedLeaseNeverExpires() {
    Lease a = lease(Duration.ofSeconds(10));
    Lease b = lease(Duration.ofSeconds(10));
    timeline.add(a, a.deadline);
    timeline.add(b, b.deadline);
    timeline.remove(a);
    timeline.remove(a); // not filed any more: no effect
    time.advance(Duration.ofSeconds(10));
    assertThat(expireDue()).containsExactly(b);
  }

  @Test
  void replacedTimerIsIgnored() {
    Lease a = lease(Duration.ofSeconds(30));
    timeline.add(a, a.deadline);
    int first = fired.size();
    Lease b = lease(Duration.ofSeconds(5));
    timeline.add(b, b.deadline); // earlier: the 30 s timer is replaced
    assertThat(timeline.takeExpired(-1, time.now().plusSeconds(60))).isEmpty();
    assertThat(first).isZero();
    time.advance(Duration.ofSeconds(30));
    assertThat(expireDue()).containsExactly(b, a);
  }

  @Test
  void brokerLeasesShareOneTimer() {
    try (EmbeddedBroker broker =
        EmbeddedBroker.create(EmbeddedConfig.builder().timeSource(time).build())) {
      broker.declareQueue(
          QueueSpec.builder("timeline").visibilityTimeout(Duration.ofSeconds(30)).build());
      for (int i = 0; i < 200; i++) {
        broker.publisher().publish(Message.builder().topic("timeline").text("m" + i).build());
      }
      int before = time.pendingTasks();
      List<Delivery> taken = broker.receive("timeline", 200, Duration.ZERO);
      assertThat(taken).hasSize(200);
      assertThat(time.pendingTasks() - before).isEqualTo(1); // was one timer per delivery
      taken.subList(0, 100).forEach(Delivery::ack);
      time.advance(Duration.ofSeconds(30));
      assertThat(broker.stats("timeline").inFlight()).isZero();
      assertThat(broker.stats("timeline").ready()).isEqualTo(100);
      assertThat(taken.subList(100, 200))
          .allMatch(d -> d.outcome().equals(java.util.Optional.of(Delivery.Outcome.LEASE_LOST)));
    }
  }
}
