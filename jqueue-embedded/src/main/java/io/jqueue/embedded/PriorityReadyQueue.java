package io.jqueue.embedded;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Highest priority first, FIFO among equals: one FIFO bucket per priority level, so every operation
 * is O(1) in the number of messages.
 */
final class PriorityReadyQueue implements ReadyQueue {
  private final ArrayDeque<Envelope>[] buckets;
  private int size;
  private int highest = -1; // highest non-empty bucket, or -1

  @SuppressWarnings("unchecked")
  PriorityReadyQueue(int maxPriority) {
    buckets = new ArrayDeque[maxPriority + 1];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new ArrayDeque<>();
    }
  }

  @Override
  public void add(Envelope e) {
    bucket(e).addLast(e);
    grew(e);
  }

  @Override
  public void addRetry(Envelope e) {
    add(e);
  }

  @Override
  public void addReleased(Envelope e) {
    bucket(e).addFirst(e);
    grew(e);
  }

  @Override
  public Envelope poll() {
    while (highest >= 0) {
      Envelope e = buckets[highest].pollFirst();
      if (e != null) {
        size--;
        return e;
      }
      highest--;
    }
    return null;
  }

  @Override
  public void settled(Envelope e) {}

  @Override
  public List<Envelope> removeIf(Predicate<Envelope> filter) {
    List<Envelope> removed = new ArrayList<>();
    for (ArrayDeque<Envelope> bucket : buckets) {
      removed.addAll(FifoReadyQueue.removeMatching(bucket, filter));
    }
    size -= removed.size();
    return removed;
  }

  @Override
  public List<Envelope> peek(int max) {
    List<Envelope> out = new ArrayList<>();
    for (int p = buckets.length - 1; p >= 0 && out.size() < max; p--) {
      for (Envelope e : buckets[p]) {
        if (out.size() == max) {
          break;
        }
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public int size() {
    return size;
  }

  private ArrayDeque<Envelope> bucket(Envelope e) {
    return buckets[Math.min(e.priority, buckets.length - 1)];
  }

  private void grew(Envelope e) {
    size++;
    highest = Math.max(highest, Math.min(e.priority, buckets.length - 1));
  }
}
