package io.jqueue.internal;

import io.jqueue.DeadLetterReason;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import java.time.Instant;

/** Writes and removes the dead-letter facts that travel as {@link JQueueHeaders}. */
public final class DeadLetterHeaders {
  private static final int MAX_ERROR_TEXT = 1024;

  private DeadLetterHeaders() {}

  /**
   * {@code original} with the dead-letter facts set as headers.
   *
   * @param error the last error (may be {@code null})
   * @param detail the reason text when there is no error object (may be {@code null})
   */
  public static Message stamp(
      Message original,
      DeadLetterReason reason,
      Throwable error,
      String detail,
      int attempts,
      String queue,
      Instant firstEnqueuedAt,
      Instant now) {
    Message.Builder b = original.toBuilder();
    b.header(JQueueHeaders.DLQ_REASON, reason.name());
    if (error != null) {
      b.header(JQueueHeaders.DLQ_ERROR_CLASS, error.getClass().getName());
      b.header(JQueueHeaders.DLQ_ERROR_MESSAGE, truncate(Errors.messageOf(error)));
    } else {
      b.removeHeader(JQueueHeaders.DLQ_ERROR_CLASS);
      if (detail != null) {
        b.header(JQueueHeaders.DLQ_ERROR_MESSAGE, truncate(detail));
      } else {
        b.removeHeader(JQueueHeaders.DLQ_ERROR_MESSAGE);
      }
    }
    b.header(JQueueHeaders.DLQ_ATTEMPTS, Integer.toString(attempts));
    b.header(JQueueHeaders.DLQ_ORIGINAL_QUEUE, queue);
    b.header(JQueueHeaders.DLQ_FIRST_ENQUEUED_AT, firstEnqueuedAt.toString());
    b.header(JQueueHeaders.DLQ_DEAD_LETTERED_AT, now.toString());
    b.removeHeader(JQueueHeaders.ATTEMPTS);
    return b.build();
  }

  /** {@code dead} without dead-letter facts and attempt count, ready to be redriven. */
  public static Message strip(Message dead) {
    Message.Builder b = dead.toBuilder();
    b.removeHeader(JQueueHeaders.DLQ_REASON);
    b.removeHeader(JQueueHeaders.DLQ_ERROR_CLASS);
    b.removeHeader(JQueueHeaders.DLQ_ERROR_MESSAGE);
    b.removeHeader(JQueueHeaders.DLQ_ATTEMPTS);
    b.removeHeader(JQueueHeaders.DLQ_ORIGINAL_QUEUE);
    b.removeHeader(JQueueHeaders.DLQ_FIRST_ENQUEUED_AT);
    b.removeHeader(JQueueHeaders.DLQ_DEAD_LETTERED_AT);
    b.removeHeader(JQueueHeaders.ATTEMPTS);
    return b.build();
  }

  private static String truncate(String s) {
    return s.length() <= MAX_ERROR_TEXT ? s : s.substring(0, MAX_ERROR_TEXT - 3) + "...";
  }
}
