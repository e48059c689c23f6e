package io.jqueue;

/**
 * Something whose state adds to a publisher's {@link Health}: a {@link PublishMiddleware} that
 * implements it (the circuit breaker does) is asked by {@link Publisher#health()}, and the
 * publisher reports the worse of its own health and each contributor's.
 */
@FunctionalInterface
public interface HealthContributor {

  /** The current health; fast and non-blocking, since health checks may be frequent. */
  Health health();
}
