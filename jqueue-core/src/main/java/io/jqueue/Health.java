package io.jqueue;

import java.util.Objects;

/**
 * Whether a broker or publisher can do its work now, and if not, why: {@link Status#UP}, {@link
 * Status#DEGRADED} (working, but slowed or limited: a connection blocked by the server, a circuit
 * breaker probing) or {@link Status#DOWN} (publishing fails: connection lost, circuit open,
 * closed). Immutable.
 *
 * @param status how well it works
 * @param reason what is wrong, for people (empty when UP); never holds a secret
 */
public record Health(Status status, String reason) {
  private static final Health UP = new Health(Status.UP, "");

  /** How well something works, from best to worst. */
  public enum Status {
    /** Working. */
    UP,
    /** Working, but slowed or limited; operations may wait or fail. */
    DEGRADED,
    /** Not working: operations fail until it recovers (if it can). */
    DOWN
  }

  /**
   * Checks the fields.
   *
   * @throws ValidationException when the status is null, or a DEGRADED or DOWN health has no reason
   */
  public Health {
    if (status == null) {
      throw new ValidationException("health status must not be null");
    }
    reason = Objects.requireNonNullElse(reason, "");
    if (status != Status.UP && reason.isBlank()) {
      throw new ValidationException("a " + status + " health needs a reason saying what is wrong");
    }
  }

  /** Working, with no reason to give. */
  public static Health up() {
    return UP;
  }

  /** Working but limited, because of {@code reason}. */
  public static Health degraded(String reason) {
    return new Health(Status.DEGRADED, reason);
  }

  /** Not working, because of {@code reason}. */
  public static Health down(String reason) {
    return new Health(Status.DOWN, reason);
  }

  /** Whether the status is {@link Status#UP}. */
  public boolean isUp() {
    return status == Status.UP;
  }

  /**
   * The health of something that needs both this and {@code other}: the worse status, with the
   * reasons of every part at that status ({@code "a; b"}).
   */
  public Health and(Health other) {
    Objects.requireNonNull(other, "other");
    int order = status.compareTo(other.status);
    if (order > 0 || other.isUp()) {
      return this;
    }
    if (order < 0) {
      return other;
    }
    return reason.equals(other.reason) ? this : new Health(status, reason + "; " + other.reason);
  }

  @Override
  public String toString() {
    return isUp() && reason.isEmpty() ? status.name() : status + " (" + reason + ")";
  }
}
