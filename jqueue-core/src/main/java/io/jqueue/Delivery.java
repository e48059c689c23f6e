package io.jqueue;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One leased delivery of a message to a consumer. Thread-safe.
 *
 * <p>A delivery is settled exactly once, by {@link #ack}, {@link #fail}, {@link #retry} or {@link
 * #deadLetter}; a second outcome throws {@link IllegalStateException}. An outcome after the lease
 * has ended (see {@link #deadline()}) throws {@link LeaseExpiredException}: the message was already
 * made visible again. Push handlers need not settle at all: returning acknowledges, throwing fails.
 */
public interface Delivery {

  /** The message. */
  Message message();

  /** The queue the message was taken from. */
  String queue();

  /** Which delivery attempt this is, starting at 1. */
  int attempt();

  /** The most attempts the queue allows before dead-lettering (its {@code maxRetries}). */
  int maxAttempts();

  /** When the lease ends unless extended; after it the message is delivered again. */
  Instant deadline();

  /** The id of the consumer holding the lease ({@code pull} for the pull API). */
  String consumerId();

  /**
   * Decodes the payload as {@code type} with the consumer's codec; throws {@link CodecException}
   * when it cannot, which the consumer turns into a dead-letter with reason {@code DECODE_ERROR}.
   */
  <T> T data(Class<T> type);

  /** Decodes the payload as a generic type; see {@link #data(Class)}. */
  <T> T data(TypeReference<T> type);

  /** The payload as UTF-8 text. */
  default String text() {
    return message().text();
  }

  /** Acknowledges: the message is removed from the queue. */
  void ack();

  /**
   * Records a failed attempt caused by {@code error}: the message is delivered again after the
   * queue's backoff, or dead-lettered with reason {@code MAX_RETRIES} when this was the last
   * attempt.
   */
  void fail(Throwable error);

  /**
   * Records a failed attempt without an error: the message is delivered again after the queue's
   * backoff, or dead-lettered with reason {@code MAX_RETRIES} when this was the last attempt.
   */
  void retry();

  /**
   * Records a failed attempt and asks for redelivery after {@code delay} instead of the queue's
   * backoff; dead-letters when this was the last attempt.
   *
   * @throws ValidationException when {@code delay} is null, negative or longer than 7 days (nothing
   *     is recorded then)
   */
  void retry(Duration delay);

  /** Moves the message to the dead-letter queue at once, with reason {@code REJECTED}. */
  void deadLetter(String reason);

  /**
   * Renews the lease so it ends {@code duration} from now.
   *
   * @throws LeaseExpiredException when the lease has already ended
   */
  void extendLease(Duration duration);

  /** Whether an outcome has been recorded (or the lease has ended). */
  boolean isSettled();

  /**
   * How this delivery ended, once it did: {@link Outcome#ACKED}, {@link Outcome#FAILED} ({@code
   * fail} or {@code retry}: the queue's rule decides what follows), {@link Outcome#DEAD_LETTERED}
   * (asked for), or {@link Outcome#LEASE_LOST} (the lease expired or its consumer closed first).
   * Empty while it is unsettled. Lets a middleware see, after {@code proceed}, what happened.
   */
  Optional<Outcome> outcome();

  /** How a delivery ended. */
  enum Outcome {
    /** Acknowledged: the message is done. */
    ACKED,
    /** The attempt failed ({@code fail} or {@code retry}). */
    FAILED,
    /** Dead-lettered on request (or as a poison message). */
    DEAD_LETTERED,
    /** The lease ended first (expiry, or a closing consumer or broker). */
    LEASE_LOST
  }

  /**
   * A view of this delivery with {@code message} in place of the original: outcomes still settle
   * the original. Middlewares use it to pass on a transformed (for example decompressed) message.
   */
  Delivery withMessage(Message message);
}
