package io.jqueue;

/** Why a message was moved to a dead-letter queue. */
public enum DeadLetterReason {
  /** Every allowed attempt failed (handler errors, explicit retries or expired leases). */
  MAX_RETRIES,
  /** Its TTL ran out before it was delivered. */
  EXPIRED,
  /** Its payload could not be decoded: a poison message, dead-lettered without retrying. */
  DECODE_ERROR,
  /** A handler dead-lettered it explicitly with {@link Delivery#deadLetter(String)}. */
  REJECTED
}
