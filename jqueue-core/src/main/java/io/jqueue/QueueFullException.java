package io.jqueue;

/**
 * A queue declared with {@code maxSize} and the {@code REJECT} overflow policy is full; the message
 * was not enqueued and nothing else was affected. Retry later, slow down, or raise the bound.
 */
public class QueueFullException extends JQueueException {
  private final String queue;
  private final long maxSize;

  /** Creates the error for {@code queue}, which holds {@code maxSize} messages. */
  public QueueFullException(String queue, long maxSize) {
    super(
        "queue '"
            + queue
            + "' is full ("
            + maxSize
            + " messages); the message was not enqueued: retry later, consume faster, or raise"
            + " maxSize");
    this.queue = queue;
    this.maxSize = maxSize;
  }

  /** Creates the error with a custom message, for brokers that learn of the overflow late. */
  public QueueFullException(String queue, long maxSize, String message) {
    super(message);
    this.queue = queue;
    this.maxSize = maxSize;
  }

  /** The queue that was full. */
  public String queue() {
    return queue;
  }

  /** The queue's bound, or -1 when the broker did not say. */
  public long maxSize() {
    return maxSize;
  }
}
