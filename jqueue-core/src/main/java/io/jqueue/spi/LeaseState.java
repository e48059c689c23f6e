package io.jqueue.spi;

import io.jqueue.LeaseExpiredException;
import io.jqueue.Message;
import java.time.Duration;

/**
 * Where one delivery's lease stands: active until exactly one of settled (an outcome was recorded),
 * expired (the visibility timeout passed) or released (its consumer or broker closed). Whether a
 * handler began matters when the lease ends: only a begun attempt counts. Not thread-safe: its
 * owner changes it under the lock that orders the delivery's events ({@link #phase} may be read
 * without it).
 */
public final class LeaseState {
  /** The phases of a lease. */
  public enum Phase {
    /** Held by a consumer or a pull caller, not ended yet. */
    ACTIVE,
    /** An outcome was recorded. */
    SETTLED,
    /** The visibility timeout passed first. */
    EXPIRED,
    /** Its consumer or the broker closed first. */
    RELEASED
  }

  private final String queue;
  private final Message message; // its id is rendered only for an error
  private final Duration visibilityTimeout;
  private volatile Phase phase = Phase.ACTIVE; // written under the owner's lock, read anywhere
  private boolean started;

  /** The lease of {@code message} in {@code queue}, both named in the errors it throws. */
  public LeaseState(String queue, Message message, Duration visibilityTimeout) {
    this.queue = queue;
    this.message = message;
    this.visibilityTimeout = visibilityTimeout;
  }

  /** The current phase. */
  public Phase phase() {
    return phase;
  }

  /** Whether no end was recorded yet. */
  public boolean isActive() {
    return phase == Phase.ACTIVE;
  }

  /** Whether it ended without an outcome (expired or released): the message went back. */
  public boolean isLost() {
    return phase == Phase.EXPIRED || phase == Phase.RELEASED;
  }

  /** Whether a handler began (or a pull caller received) this attempt. */
  public boolean isStarted() {
    return started;
  }

  /** Records that a handler begins; returns false (do not run it) when the lease already ended. */
  public boolean begin() {
    if (phase != Phase.ACTIVE) {
      return false;
    }
    started = true;
    return true;
  }

  /**
   * Ends the lease in {@code end}.
   *
   * @throws IllegalStateException when an outcome was already recorded
   * @throws LeaseExpiredException when the lease expired or was released first
   */
  public void end(Phase end) {
    requireActive();
    phase = end;
  }

  /**
   * Throws unless the lease is active: {@link IllegalStateException} after an outcome, {@link
   * LeaseExpiredException} (saying why) after expiry or release.
   */
  public void requireActive() {
    switch (phase) {
      case ACTIVE:
        return;
      case SETTLED:
        throw new IllegalStateException(
            "delivery of message " + message.id() + " was already settled");
      case EXPIRED:
        throw new LeaseExpiredException(
            queue, message.id(), "its visibility timeout of " + visibilityTimeout + " passed");
      default:
        throw new LeaseExpiredException(
            queue, message.id(), "it was released because its consumer or the broker closed");
    }
  }

  @Override
  public String toString() {
    return phase + (started ? ", started" : "");
  }
}
