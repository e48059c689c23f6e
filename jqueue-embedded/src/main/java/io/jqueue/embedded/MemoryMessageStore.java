package io.jqueue.embedded;

/**
 * Keeps a queue's messages in memory, in arrival order, linked through the envelopes themselves (no
 * node or hash entry per message); nothing outlives the broker.
 */
final class MemoryMessageStore implements MessageStore {
  private Envelope first;
  private Envelope last;
  private int size;

  @Override
  public void add(Envelope envelope) {
    if (holds(envelope)) {
      return;
    }
    envelope.storePrev = last;
    envelope.storeNext = null;
    if (last == null) {
      first = envelope;
    } else {
      last.storeNext = envelope;
    }
    last = envelope;
    size++;
  }

  @Override
  public void remove(Envelope envelope) {
    if (!holds(envelope)) {
      return;
    }
    if (envelope.storePrev == null) {
      first = envelope.storeNext;
    } else {
      envelope.storePrev.storeNext = envelope.storeNext;
    }
    if (envelope.storeNext == null) {
      last = envelope.storePrev;
    } else {
      envelope.storeNext.storePrev = envelope.storePrev;
    }
    envelope.storePrev = null;
    envelope.storeNext = null;
    size--;
  }

  private boolean holds(Envelope e) {
    return e.storePrev != null ? e.storePrev.storeNext == e : first == e;
  }

  @Override
  public void update(Envelope envelope) {
    // the envelope itself is the record in memory: its fields are already current
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Envelope oldest() {
    return first;
  }

  @Override
  public void clear() {
    Envelope e = first;
    while (e != null) { // unlink all, so no envelope keeps the others reachable
      Envelope next = e.storeNext;
      e.storePrev = null;
      e.storeNext = null;
      e = next;
    }
    first = null;
    last = null;
    size = 0;
  }

  @Override
  public void close() {
    clear();
  }
}
