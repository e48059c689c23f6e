package io.jqueue;

/**
 * A message is larger than a configured limit (its payload, or its headers together); it was
 * refused before anything was sent. Send a reference to the data instead, compress it, or raise the
 * limit the message names.
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

  /** Creates the error with its own text, for a part of a message other than its payload. */
  public MessageTooLargeException(String text, long size, long limit, Throwable cause) {
    super(text, cause);
    this.size = size;
    this.limit = limit;
  }

  /** The headers of message {@code messageId} encode to {@code size} bytes, over {@code limit}. */
  public static MessageTooLargeException headers(String messageId, long size, long limit) {
    return new MessageTooLargeException(
        "the headers of message "
            + messageId
            + " encode to "
            + size
            + " bytes, over the limit of "
            + limit
            + " bytes (MessageLimits.maxHeaderBytes); move large values into the payload",
        size,
        limit,
        null);
  }

  /** The size in bytes of what was too large. */
  public long size() {
    return size;
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }
}
