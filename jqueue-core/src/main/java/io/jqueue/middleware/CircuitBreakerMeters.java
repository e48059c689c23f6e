package io.jqueue.middleware;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Micrometer meters of a {@link CircuitBreaker}, under jqueue's own names: the state gauge
 * {@code jqueue.circuit.state{name}} (0 closed, 1 half-open, 2 open: higher is worse), and the
 * counters {@code jqueue.circuit.transitions{name,from,to}} and {@code
 * jqueue.circuit.rejected{name}} (publishes refused without reaching the broker). Their tags take a
 * handful of values each.
 */
final class CircuitBreakerMeters {
  private CircuitBreakerMeters() {}

  static void bind(CircuitBreaker breaker, MeterRegistry registry) {
    String name = breaker.breakerName();
    Gauge.builder("jqueue.circuit.state", breaker, b -> b.state().ordinal())
        .tag("name", name)
        .description("circuit breaker state: 0 closed, 1 half-open, 2 open")
        .register(registry);
    Counter rejected =
        Counter.builder("jqueue.circuit.rejected")
            .tag("name", name)
            .description("publishes the open circuit refused without reaching the broker")
            .register(registry);
    breaker
        .events()
        .onCallNotPermitted(e -> rejected.increment())
        .onStateTransition(
            e ->
                Counter.builder("jqueue.circuit.transitions")
                    .tag("name", name)
                    .tag("from", e.getStateTransition().getFromState().name())
                    .tag("to", e.getStateTransition().getToState().name())
                    .description("circuit breaker state changes")
                    .register(registry)
                    .increment());
  }
}
