package io.jqueue.embedded;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Per-key order: a key's messages are delivered one at a time in arrival order, and the next one
 * only after the previous left the queue for good; while a key's head message is leased or waiting
 * to retry, the key is busy and its later messages wait. Different keys are served round robin.
 * Messages without a key are each their own key.
 */
final class KeyOrderedReadyQueue implements ReadyQueue {
  private final Map<Object, ArrayDeque<Envelope>> byKey = new HashMap<>();
  private final ArrayDeque<Object> readyKeys = new ArrayDeque<>();
  private final Set<Object> readyKeySet = new HashSet<>(); // membership of readyKeys
  private final Set<Object> busyKeys = new HashSet<>();
  private int size;

  @Override
  public void add(Envelope e) {
    Object key = keyOf(e);
    ArrayDeque<Envelope> q = byKey.computeIfAbsent(key, k -> new ArrayDeque<>());
    q.addLast(e);
    size++;
    if (!busyKeys.contains(key) && readyKeySet.add(key)) {
      readyKeys.addLast(key);
    }
  }

  @Override
  public void addRetry(Envelope e) {
    putBackFirst(e);
  }

  @Override
  public void addReleased(Envelope e) {
    putBackFirst(e);
  }

  /** The key's head message came back: it goes first again and the key may be served. */
  private void putBackFirst(Envelope e) {
    Object key = keyOf(e);
    busyKeys.remove(key);
    ArrayDeque<Envelope> q = byKey.computeIfAbsent(key, k -> new ArrayDeque<>());
    q.addFirst(e);
    size++;
    if (readyKeySet.add(key)) {
      readyKeys.addFirst(key);
    }
  }

  @Override
  public Envelope poll() {
    while (!readyKeys.isEmpty()) {
      Object key = readyKeys.pollFirst();
      readyKeySet.remove(key);
      ArrayDeque<Envelope> q = byKey.get(key);
      if (q == null || q.isEmpty()) {
        continue; // emptied by removeIf
      }
      Envelope e = q.pollFirst();
      size--;
      busyKeys.add(key);
      if (q.isEmpty()) {
        byKey.remove(key);
      }
      return e;
    }
    return null;
  }

  @Override
  public void settled(Envelope e) {
    Object key = keyOf(e);
    if (busyKeys.remove(key)) {
      ArrayDeque<Envelope> q = byKey.get(key);
      if (q != null && !q.isEmpty() && readyKeySet.add(key)) {
        readyKeys.addLast(key);
      }
    }
  }

  @Override
  public List<Envelope> removeIf(Predicate<Envelope> filter) {
    List<Envelope> removed = new ArrayList<>();
    byKey
        .values()
        .removeIf(
            q -> {
              removed.addAll(FifoReadyQueue.removeMatching(q, filter));
              return q.isEmpty();
            });
    size -= removed.size();
    return removed;
  }

  @Override
  public List<Envelope> peek(int max) {
    List<Envelope> out = new ArrayList<>();
    for (Object key : readyKeys) {
      ArrayDeque<Envelope> q = byKey.get(key);
      if (q != null && !q.isEmpty() && out.size() < max) {
        out.add(q.peekFirst());
      }
    }
    return out;
  }

  @Override
  public int size() {
    return size;
  }

  private static Object keyOf(Envelope e) {
    return e.key != null ? e.key : e; // no key: the message is its own key
  }
}
