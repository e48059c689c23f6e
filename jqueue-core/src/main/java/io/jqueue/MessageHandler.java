package io.jqueue;

/**
 * Handles one delivery. Returning normally acknowledges the message; throwing counts a failed
 * attempt (retried after the queue's backoff, or dead-lettered once attempts run out). A handler
 * may also settle the delivery itself with {@link Delivery#retry}, {@link Delivery#deadLetter} or
 * {@link Delivery#ack}.
 *
 * <p>When the lease runs out the handler's thread is interrupted; long work should check {@link
 * Delivery#deadline()} or extend the lease.
 */
@FunctionalInterface
public interface MessageHandler {

  /**
   * Handles {@code delivery}; see the type's documentation for what returning and throwing mean.
   */
  void handle(Delivery delivery) throws Exception;
}
