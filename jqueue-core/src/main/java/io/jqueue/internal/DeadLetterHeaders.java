package io.jqueue.internal;

import io.jqueue.DeadLetterReason;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes and removes the dead-letter facts that travel as {@link JQueueHeaders}. */
public final class DeadLetterHeaders {
  private static final int MAX_ERROR_TEXT = 1024;

  /** Every header {@link #facts} may set, plus the attempt count a dead letter drops. */
  public static final List<String> NAMES =
      List.of(
          JQueueHeaders.DLQ_REASON,
          JQueueHeaders.DLQ_ERROR_CLASS,
          JQueueHeaders.DLQ_ERROR_MESSAGE,
          JQueueHeaders.DLQ_ATTEMPTS,
          JQueueHeaders.DLQ_ORIGINAL_QUEUE,
          JQueueHeaders.DLQ_FIRST_ENQUEUED_AT,
          JQueueHeaders.DLQ_DEAD_LETTERED_AT,
          JQueueHeaders.ATTEMPTS);

  private DeadLetterHeaders() {}

  /**
   * The dead-letter facts as headers, in a fixed order.
   *
   * @param error the last error (may be {@code null})
   * @param detail the reason text when there is no error object (may be {@code null})
   */
  public static Map<String, String> facts(
      DeadLetterReason reason,
      Throwable error,
      String detail,
      int attempts,
      String queue,
      Instant firstEnqueuedAt,
      Instant now) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(JQueueHeaders.DLQ_REASON, reason.name());
    if (error != null) {
      facts.put(JQueueHeaders.DLQ_ERROR_CLASS, error.getClass().getName());
      facts.put(JQueueHeaders.DLQ_ERROR_MESSAGE, truncate(Errors.messageOf(error)));
    } else if (detail != null) {
      facts.put(JQueueHeaders.DLQ_ERROR_MESSAGE, truncate(detail));
    }
    facts.put(JQueueHeaders.DLQ_ATTEMPTS, Integer.toString(attempts));
    facts.put(JQueueHeaders.DLQ_ORIGINAL_QUEUE, queue);
    facts.put(JQueueHeaders.DLQ_FIRST_ENQUEUED_AT, firstEnqueuedAt.toString());
    facts.put(JQueueHeaders.DLQ_DEAD_LETTERED_AT, now.toString());
    return facts;
  }

  /** {@code original} with the dead-letter facts set as headers (and older ones removed). */
  public static Message stamp(
      Message original,
      DeadLetterReason reason,
      Throwable error,
      String detail,
      int attempts,
      String queue,
      Instant firstEnqueuedAt,
      Instant now) {
    Message.Builder b = strip(original).toBuilder();
    b.headers(facts(reason, error, detail, attempts, queue, firstEnqueuedAt, now));
    return b.build();
  }

  /** {@code dead} without dead-letter facts and attempt count, ready to be redriven. */
  public static Message strip(Message dead) {
    Message.Builder b = dead.toBuilder();
    NAMES.forEach(b::removeHeader);
    return b.build();
  }

  private static String truncate(String s) {
    return s.length() <= MAX_ERROR_TEXT ? s : s.substring(0, MAX_ERROR_TEXT - 3) + "...";
  }
}
