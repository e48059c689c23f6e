package io.jqueue.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.jqueue.Broker;
import io.jqueue.BrokerClosedException;
import io.jqueue.Health;
import io.jqueue.HealthContributor;
import io.jqueue.JQueueException;
import io.jqueue.Subscription;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} and {@code /health/ready}: the broker's health (connections, blocked publishing),
 * each contributor given to the server (publishers, circuit breakers) and each watched consumer;
 * 200 unless one is DOWN, then 503. DEGRADED (a blocked connection, a half-open circuit) answers
 * 200: the application still works, more slowly, and the reason says why. {@code /health/live}: 503
 * only once the broker is closed, since restarting the process does not bring RabbitMQ back.
 */
final class HealthRoute implements Requests.Route {
  private final Broker broker;
  private final Map<String, HealthContributor> contributors;
  private final Map<String, Subscription> subscriptions;

  HealthRoute(
      Broker broker,
      Map<String, HealthContributor> contributors,
      Map<String, Subscription> subscriptions) {
    this.broker = broker;
    this.contributors = new LinkedHashMap<>(contributors);
    this.subscriptions = new LinkedHashMap<>(subscriptions);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Requests.requireMethod(exchange, "GET");
    String path = exchange.getRequestURI().getRawPath();
    switch (path) {
      case "/health":
      case "/health/ready":
        answer(exchange, readiness());
        break;
      case "/health/live":
        answer(exchange, liveness());
        break;
      default:
        throw new Requests.HttpError(
            404, "no such page; try /health, /health/live or /health/ready");
    }
  }

  private Map<String, Health> readiness() {
    Map<String, Health> parts = new LinkedHashMap<>();
    parts.put("broker", broker.health());
    contributors.forEach((name, c) -> parts.put(name, healthOf(c)));
    subscriptions.forEach(
        (name, s) ->
            parts.put(
                name,
                s.isActive()
                    ? Health.up()
                    : Health.down(
                        "consumer '" + s.id() + "' on queue '" + s.queue() + "' has stopped")));
    return parts;
  }

  private Map<String, Health> liveness() {
    Health live;
    try {
      // registering a listener is refused once the broker is closed, whatever it holds
      broker.onHealthChange((before, now) -> {}).close();
      live = Health.up();
    } catch (BrokerClosedException e) {
      live = Health.down("the broker is closed");
    } catch (JQueueException e) {
      live = Health.up(); // unreachable, not dead: readiness says so
    }
    return Map.of("broker", live);
  }

  private static Health healthOf(HealthContributor contributor) {
    try {
      Health h = contributor.health();
      return h != null ? h : Health.degraded("reported no health (null)");
    } catch (RuntimeException e) {
      return Health.down("health check failed: " + e.getClass().getSimpleName());
    }
  }

  private static void answer(HttpExchange exchange, Map<String, Health> parts) throws IOException {
    Health overall = Health.up();
    ObjectNode components = Requests.JSON.createObjectNode();
    for (Map.Entry<String, Health> e : parts.entrySet()) {
      overall = overall.and(e.getValue());
      ObjectNode c = components.putObject(e.getKey());
      c.put("status", e.getValue().status().name());
      if (!e.getValue().reason().isEmpty()) {
        c.put("reason", e.getValue().reason());
      }
    }
    ObjectNode body = Requests.JSON.createObjectNode();
    body.put("status", overall.status().name());
    if (!overall.reason().isEmpty()) {
      body.put("reason", overall.reason());
    }
    body.set("components", components);
    Requests.json(exchange, overall.status() == Health.Status.DOWN ? 503 : 200, body);
  }
}
