package io.jqueue;

/**
 * A message payload is larger than the configured limit; it was refused before anything was sent.
 * Send a reference to the data instead, compress it, or raise {@code
 * MessageLimits.maxPayloadBytes}.
 */
public class MessageTooLargeException extends JQueueException {
  private final long size;
  private final long limit;

  /** Creates the error for a payload of {@code size} bytes against a {@code limit}. */
  public MessageTooLargeException(String messageId, long size, long limit) {
    super(
        "message "
            + messageId
            + " has a payload of "
            + size
            + " bytes, over the limit of "
            + limit
            + " bytes; send a reference instead, compress it, or raise"
            + " MessageLimits.maxPayloadBytes");
    this.size = size;
    this.limit = limit;
  }

  /** The payload size in bytes. */
  public long size() {
    return size;
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }
}
