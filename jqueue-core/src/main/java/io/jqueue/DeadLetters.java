package io.jqueue;

import java.util.List;

/**
 * Operations on one queue's dead-letter queue, from {@link Broker#deadLetters(String)}. The
 * dead-letter queue is also a plain queue named {@code <queue>.dlq}: it can be subscribed to and
 * read with the pull API.
 */
public interface DeadLetters {

  /** The dead-letter queue's name. */
  String queue();

  /** The parent queue's name. */
  String parentQueue();

  /** Messages in the dead-letter queue. */
  long count();

  /** Up to {@code max} dead letters, oldest first, without removing or leasing them. */
  List<DeadLetter> peek(int max);

  /**
   * Moves every dead letter that is not leased back to the parent queue with its attempts reset and
   * its dead-letter headers removed, oldest first, stopping when the parent is full.
   *
   * @return how many were moved
   */
  default long redrive() {
    return redrive(Long.MAX_VALUE);
  }

  /** Like {@link #redrive()}, moving at most {@code max}. */
  long redrive(long max);

  /** Deletes every dead letter that is not leased; returns how many were deleted. */
  long purge();
}
