package io.jqueue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A message in a dead-letter queue, with why it got there. The facts travel as {@link
 * JQueueHeaders} on the message itself, so they survive every broker.
 *
 * @param message the dead-lettered message, headers included
 * @param reason why it was dead-lettered
 * @param errorClass class of the last error, or empty
 * @param errorMessage message of the last error (or the reason text), or empty
 * @param attempts delivery attempts made before dead-lettering
 * @param originalQueue the queue it came from
 * @param firstEnqueuedAt when the original queue first accepted it, if known
 * @param deadLetteredAt when it was dead-lettered, if known
 */
public record DeadLetter(
    Message message,
    DeadLetterReason reason,
    String errorClass,
    String errorMessage,
    int attempts,
    String originalQueue,
    Optional<Instant> firstEnqueuedAt,
    Optional<Instant> deadLetteredAt) {

  /**
   * Reads the dead-letter facts from {@code message}'s headers.
   *
   * @throws ValidationException when the message carries no dead-letter reason
   */
  public static DeadLetter of(Message message) {
    String reason =
        message
            .header(JQueueHeaders.DLQ_REASON)
            .orElseThrow(
                () ->
                    new ValidationException(
                        "message " + message.id() + " has no " + JQueueHeaders.DLQ_REASON));
    DeadLetterReason parsed;
    try {
      parsed = DeadLetterReason.valueOf(reason);
    } catch (IllegalArgumentException e) {
      throw new ValidationException(
          "message " + message.id() + " has an unknown dead-letter reason '" + reason + "'");
    }
    return new DeadLetter(
        message,
        parsed,
        message.header(JQueueHeaders.DLQ_ERROR_CLASS).orElse(""),
        message.header(JQueueHeaders.DLQ_ERROR_MESSAGE).orElse(""),
        parseInt(message.header(JQueueHeaders.DLQ_ATTEMPTS).orElse("0")),
        message.header(JQueueHeaders.DLQ_ORIGINAL_QUEUE).orElse(""),
        message.header(JQueueHeaders.DLQ_FIRST_ENQUEUED_AT).flatMap(DeadLetter::parseInstant),
        message.header(JQueueHeaders.DLQ_DEAD_LETTERED_AT).flatMap(DeadLetter::parseInstant));
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Instant> parseInstant(String s) {
    try {
      return Optional.of(Instant.parse(s));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
