package io.jqueue;

/**
 * An ack, retry or dead-letter came after the delivery's lease ended (visibility timeout passed, or
 * the subscription closed): the message was already made visible again and may be handled
 * elsewhere, so this late outcome was refused. Handle messages idempotently and extend the lease
 * with {@link Delivery#extendLease} for long work.
 */
public class LeaseExpiredException extends JQueueException {
  private final String messageId;
  private final String queue;

  /** Creates the error for {@code messageId} in {@code queue}. */
  public LeaseExpiredException(String queue, String messageId, String why) {
    super(
        "the lease on message "
            + messageId
            + " in queue '"
            + queue
            + "' has ended ("
            + why
            + "); the outcome was refused and the message will be (or was) delivered again;"
            + " extend the lease with delivery.extendLease(...) for long work");
    this.messageId = messageId;
    this.queue = queue;
  }

  /** The id of the message whose lease ended. */
  public String messageId() {
    return messageId;
  }

  /** The queue the message belongs to. */
  public String queue() {
    return queue;
  }
}
