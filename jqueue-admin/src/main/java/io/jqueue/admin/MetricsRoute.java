package io.jqueue.admin;

import com.sun.net.httpserver.HttpExchange;
import io.jqueue.metrics.BrokerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code /metrics}: the registry in the Prometheus text format (version 0.0.4). */
final class MetricsRoute implements Requests.Route {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final BrokerMetrics brokerMetrics;

  MetricsRoute(PrometheusMeterRegistry registry, BrokerMetrics brokerMetrics) {
    this.registry = registry;
    this.brokerMetrics = brokerMetrics;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Requests.requireMethod(exchange, "GET");
    if (!exchange.getRequestURI().getRawPath().equals("/metrics")) {
      throw new Requests.HttpError(404, "no such page");
    }
    if (brokerMetrics != null) {
      brokerMetrics.refresh(); // queues declared since the last scrape get their meters now
    }
    Requests.send(exchange, 200, CONTENT_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
