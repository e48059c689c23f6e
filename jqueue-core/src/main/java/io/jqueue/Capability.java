package io.jqueue;

/** Optional abilities a broker may have; the contract suite skips tests of missing ones. */
public enum Capability {
  /** Queues with {@code maxPriority} deliver higher priorities first. */
  PRIORITY_QUEUES,
  /** Queues with {@code ordered(true)} handle a key's messages one at a time, in order. */
  ORDERED_QUEUES,
  /**
   * {@code Broker.receive} from an ordered queue, keeping the per-key order: a key's next message
   * is not handed out while an earlier one of that key is leased. Without it, receiving from an
   * ordered queue is a {@link ValidationException} naming this capability; subscribe instead.
   */
  ORDERED_PULL,
  /** The {@link OverflowPolicy#BLOCK} overflow policy. */
  OVERFLOW_BLOCK,
  /** Bounded dead-letter queues ({@code deadLetterMaxSize}). */
  BOUNDED_DEAD_LETTER_QUEUES,
  /** Enqueue-to-ack latency percentiles in {@link QueueStats#latency()}. */
  LATENCY_STATS,
  /** Per-message TTL ({@code Message.ttl}/{@code expiresAt}), beyond the queue's TTL. */
  MESSAGE_TTL,
  /** {@link QueueStats#oldestMessageAge()} is measured (not always zero). */
  OLDEST_MESSAGE_AGE,
  /** Topics with subscriptions, action patterns and filters (SPEC §5). */
  TOPICS,
  /** Topics that retain messages, and {@code seek} to replay them (SPEC §5). */
  REPLAY
}
