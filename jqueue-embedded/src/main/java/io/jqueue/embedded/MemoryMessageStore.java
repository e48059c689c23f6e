package io.jqueue.embedded;

import java.util.LinkedHashSet;
import java.util.Set;

/** Keeps a queue's messages in memory, in arrival order; nothing outlives the broker. */
final class MemoryMessageStore implements MessageStore {
  private final Set<Envelope> held = new LinkedHashSet<>();

  @Override
  public void add(Envelope envelope) {
    held.add(envelope);
  }

  @Override
  public void remove(Envelope envelope) {
    held.remove(envelope);
  }

  @Override
  public void update(Envelope envelope) {
    // the envelope itself is the record in memory: its fields are already current
  }

  @Override
  public int size() {
    return held.size();
  }

  @Override
  public Envelope oldest() {
    return held.isEmpty() ? null : held.iterator().next();
  }

  @Override
  public void clear() {
    held.clear();
  }

  @Override
  public void close() {
    held.clear();
  }
}
