package io.jqueue.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadyQueueTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Envelope env(String text, String key, int priority) {
    Message.Builder b = Message.builder().topic("q").text(text);
    if (key != null) {
      b.key(key);
    }
    return new Envelope(b.build(), T0, null, priority);
  }

  private static List<String> drain(ReadyQueue q) {
    List<String> out = new ArrayList<>();
    for (Envelope e; (e = q.poll()) != null; ) {
      out.add(e.message.text());
      q.settled(e);
    }
    return out;
  }

  @Test
  @DisplayName("FIFO: retried messages go to the back, released ones to the front")
  void fifo() {
    ReadyQueue q = new FifoReadyQueue();
    Envelope a = env("a", null, 0);
    q.add(a);
    q.add(env("b", null, 0));
    Envelope taken = q.poll();
    q.addRetry(taken);
    Envelope again = q.poll(); // b
    q.addReleased(again);

    assertThat(drain(q)).containsExactly("b", "a");
  }

  @Test
  @DisplayName("priority: highest first, FIFO among equals, above-max priorities clamp to max")
  void priority() {
    ReadyQueue q = new PriorityReadyQueue(5);
    q.add(env("low-1", null, 1));
    q.add(env("top-1", null, 5));
    q.add(env("low-2", null, 1));
    q.add(env("clamped", null, 200));
    q.add(env("zero", null, 0));

    assertThat(q.peek(2)).extracting(e -> e.message.text()).containsExactly("top-1", "clamped");
    assertThat(drain(q)).containsExactly("top-1", "clamped", "low-1", "low-2", "zero");
    assertThat(q.size()).isZero();
  }

  @Test
  @DisplayName("priority: a released message goes before its equals, a retried one after")
  void priorityReleaseAndRetry() {
    ReadyQueue q = new PriorityReadyQueue(3);
    q.add(env("a", null, 2));
    q.add(env("b", null, 2));
    Envelope a = q.poll();
    q.addReleased(a);
    assertThat(q.peek(2)).extracting(e -> e.message.text()).containsExactly("a", "b");
    Envelope first = q.poll();
    q.addRetry(first);
    assertThat(drain(q)).containsExactly("b", "a");
  }

  @Test
  @DisplayName("key order: a key's next message waits until the previous one left the queue")
  void keyBusyUntilSettled() {
    ReadyQueue q = new KeyOrderedReadyQueue();
    q.add(env("k1-a", "k1", 0));
    q.add(env("k1-b", "k1", 0));
    q.add(env("k2-a", "k2", 0));

    Envelope k1a = q.poll();
    Envelope k2a = q.poll();
    assertThat(q.poll()).as("k1-b must wait for k1-a").isNull();
    assertThat(q.size()).isEqualTo(1);

    q.settled(k1a);
    assertThat(q.poll().message.text()).isEqualTo("k1-b");
    q.settled(k2a);
  }

  @Test
  @DisplayName("key order: a retried message comes back first for its key")
  void keyRetryFirst() {
    ReadyQueue q = new KeyOrderedReadyQueue();
    q.add(env("a", "k", 0));
    q.add(env("b", "k", 0));
    Envelope a = q.poll();
    assertThat(q.poll()).isNull();

    q.addRetry(a);

    assertThat(drain(q)).containsExactly("a", "b");
  }

  @Test
  @DisplayName("key order: removing a waiting message never frees a busy key")
  void removeIfKeepsBusyKeyBusy() {
    ReadyQueue q = new KeyOrderedReadyQueue();
    q.add(env("a", "k", 0));
    q.add(env("b", "k", 0));
    q.add(env("c", "k", 0));
    Envelope a = q.poll();

    List<Envelope> removed = q.removeIf(e -> e.message.text().equals("b"));

    assertThat(removed).extracting(e -> e.message.text()).containsExactly("b");
    assertThat(q.poll()).as("a is still in flight").isNull();
    q.settled(a);
    assertThat(drain(q)).containsExactly("c");
  }

  @Test
  @DisplayName("key order: a key emptied by removeIf and refilled is not served twice at once")
  void emptiedKeyRefilled() {
    ReadyQueue q = new KeyOrderedReadyQueue();
    q.add(env("a", "k", 0));
    q.removeIf(e -> true);
    q.add(env("b", "k", 0));
    q.add(env("c", "k", 0));

    Envelope b = q.poll();
    assertThat(b.message.text()).isEqualTo("b");
    assertThat(q.poll()).as("c waits for b").isNull();
    q.settled(b);
    assertThat(drain(q)).containsExactly("c");
  }

  @Test
  @DisplayName("key order: messages without a key are not ordered against each other")
  void keylessIndependent() {
    ReadyQueue q = new KeyOrderedReadyQueue();
    q.add(env("x", null, 0));
    q.add(env("y", null, 0));

    assertThat(q.poll().message.text()).isEqualTo("x");
    assertThat(q.poll().message.text()).isEqualTo("y");
  }
}
