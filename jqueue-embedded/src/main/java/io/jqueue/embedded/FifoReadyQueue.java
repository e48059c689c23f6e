package io.jqueue.embedded;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** First in, first out; retried messages go to the back, released ones to the front. */
final class FifoReadyQueue implements ReadyQueue {
  private final ArrayDeque<Envelope> queue = new ArrayDeque<>();

  @Override
  public void add(Envelope e) {
    queue.addLast(e);
  }

  @Override
  public void addRetry(Envelope e) {
    queue.addLast(e);
  }

  @Override
  public void addReleased(Envelope e) {
    queue.addFirst(e);
  }

  @Override
  public Envelope poll() {
    return queue.pollFirst();
  }

  @Override
  public void settled(Envelope e) {}

  @Override
  public List<Envelope> removeIf(Predicate<Envelope> filter) {
    return removeMatching(queue, filter);
  }

  @Override
  public List<Envelope> peek(int max) {
    List<Envelope> out = new ArrayList<>(Math.min(max, queue.size()));
    for (Iterator<Envelope> it = queue.iterator(); it.hasNext() && out.size() < max; ) {
      out.add(it.next());
    }
    return out;
  }

  @Override
  public int size() {
    return queue.size();
  }

  static List<Envelope> removeMatching(Iterable<Envelope> source, Predicate<Envelope> filter) {
    List<Envelope> removed = new ArrayList<>();
    for (Iterator<Envelope> it = source.iterator(); it.hasNext(); ) {
      Envelope e = it.next();
      if (filter.test(e)) {
        it.remove();
        removed.add(e);
      }
    }
    return removed;
  }
}
