package io.jqueue.embedded;

/**
 * Where a queue keeps the messages it holds, in every state (ready, leased, delayed). The queue
 * logic orders and leases them; the store owns them. Every change is reported before the operation
 * that caused it is confirmed to anyone, so a durable implementation (SPEC §7's journal) can write
 * it first. Called under the owning queue's lock.
 */
interface MessageStore extends AutoCloseable {

  /** A message was accepted. */
  void add(Envelope envelope);

  /** A message left the queue (acked, dead-lettered, expired, purged). */
  void remove(Envelope envelope);

  /** A message's delivery state changed (attempt counted or undone). */
  void update(Envelope envelope);

  /** How many messages the queue holds. */
  int size();

  /** The message held longest, or {@code null} when empty. */
  Envelope oldest();

  /** Forgets every message (queue deleted). */
  void clear();

  @Override
  void close();
}
