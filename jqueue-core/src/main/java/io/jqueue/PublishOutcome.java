package io.jqueue;

import java.util.Optional;

/**
 * What happened to one message of a {@link Publisher#publishAll batch}: a receipt, or the error.
 *
 * @param message the message as given to {@code publishAll}
 * @param receipt the receipt when the broker accepted it, else {@code null}
 * @param error the error when it was not accepted, else {@code null}
 */
public record PublishOutcome(Message message, PublishReceipt receipt, JQueueException error) {

  /** Whether the broker accepted the message. */
  public boolean succeeded() {
    return error == null;
  }

  /** The error, if the message was not accepted. */
  public Optional<JQueueException> failure() {
    return Optional.ofNullable(error);
  }
}
