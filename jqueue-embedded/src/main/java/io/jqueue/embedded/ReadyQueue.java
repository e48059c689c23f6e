package io.jqueue.embedded;

import java.util.List;
import java.util.function.Predicate;

/**
 * The messages of one queue that wait for delivery, in the order the queue type demands (FIFO,
 * priority, or per-key order). Called under the owning queue's lock.
 */
interface ReadyQueue {

  /** A newly accepted message. */
  void add(Envelope e);

  /** A message whose retry delay passed. */
  void addRetry(Envelope e);

  /** A message that was taken but not handled to the end (lease lost, consumer closed). */
  void addReleased(Envelope e);

  /** The next message to deliver, or {@code null}. */
  Envelope poll();

  /** A message taken by {@link #poll} left the queue for good (acked or dead-lettered). */
  void settled(Envelope e);

  /** Removes and returns every waiting message that matches. */
  List<Envelope> removeIf(Predicate<Envelope> filter);

  /** Up to {@code max} waiting messages in delivery order, without removing them. */
  List<Envelope> peek(int max);

  /** How many messages wait. */
  int size();

  /** A ready queue for the given queue settings. */
  static ReadyQueue forSettings(QueueSettings settings) {
    if (settings.ordered()) {
      return new KeyOrderedReadyQueue();
    }
    if (settings.maxPriority() > 0) {
      return new PriorityReadyQueue(settings.maxPriority());
    }
    return new FifoReadyQueue();
  }
}
