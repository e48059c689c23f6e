/**
 * jqueue's optional admin HTTP server: Prometheus {@code /metrics}, {@code /health} probes, a JSON
 * API over queues and dead letters, and a dashboard page; see {@link io.jqueue.admin.AdminServer}.
 */
module io.jqueue.admin {
  requires io.jqueue;
  requires jdk.httpserver;
  requires micrometer.registry.prometheus;

  exports io.jqueue.admin;
}
