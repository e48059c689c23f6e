package io.jqueue.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.jqueue.Broker;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetters;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.QueueStats;
import io.jqueue.SubscriberStats;
import io.jqueue.internal.Consumables;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The JSON API under {@code /api}: queues, one queue, its dead letters (peek, redrive, purge), the
 * charts' history and what the dashboard needs to know about the server. Every text taken from the
 * broker is data: the page renders it as text.
 */
final class ApiRoute implements Requests.Route {
  private static final int DEFAULT_PEEK = 50;
  private static final int MAX_PEEK = 500;
  private static final int MAX_TEXT = 4096;

  private final Broker broker;
  private final QueueHistory history;
  private final Requests requests;
  private final boolean showPayloads;

  ApiRoute(Broker broker, QueueHistory history, Requests requests, boolean showPayloads) {
    this.broker = broker;
    this.history = history;
    this.requests = requests;
    this.showPayloads = showPayloads;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String[] parts = exchange.getRequestURI().getRawPath().split("/", -1);
    // parts[0] is "" and parts[1] is "api"
    if (parts.length == 3 && parts[2].equals("queues")) {
      Requests.requireMethod(exchange, "GET");
      Requests.json(exchange, 200, queues());
    } else if (parts.length == 3 && parts[2].equals("history")) {
      Requests.requireMethod(exchange, "GET");
      Requests.json(exchange, 200, history.toJson(since(queryParam(exchange, "since"))));
    } else if (parts.length == 3 && parts[2].equals("info")) {
      Requests.requireMethod(exchange, "GET");
      Requests.json(exchange, 200, info());
    } else if (parts.length == 4 && parts[2].equals("queues")) {
      Requests.requireMethod(exchange, "GET");
      Requests.json(exchange, 200, queue(Requests.decodeSegment(parts[3])));
    } else if (parts.length == 5 && parts[2].equals("queues") && parts[4].equals("dead-letters")) {
      Requests.requireMethod(exchange, "GET");
      String max = queryParam(exchange, "max");
      Requests.json(exchange, 200, deadLetters(Requests.decodeSegment(parts[3]), peekSize(max)));
    } else if (parts.length == 6 && parts[2].equals("queues") && parts[4].equals("dead-letters")) {
      mutate(exchange, Requests.decodeSegment(parts[3]), parts[5]);
    } else {
      throw new Requests.HttpError(404, "no such API path");
    }
  }

  private void mutate(HttpExchange exchange, String queue, String action) throws IOException {
    if (!action.equals("redrive") && !action.equals("purge")) {
      throw new Requests.HttpError(404, "no such API path; use redrive or purge");
    }
    Requests.requireMethod(exchange, "POST");
    requests.requireToken(exchange);
    JsonNode body = Requests.body(exchange);
    DeadLetters dlq = broker.deadLetters(queue);
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("queue", queue);
    if (action.equals("purge")) {
      out.put("purged", dlq.purge());
    } else {
      JsonNode max = body.path("max");
      if (!max.isMissingNode()
          && !(max.isIntegralNumber() && max.canConvertToLong() && max.asLong() > 0)) {
        throw new Requests.HttpError(400, "max must be a positive whole number");
      }
      out.put("redriven", max.isMissingNode() ? dlq.redrive() : dlq.redrive(max.asLong()));
    }
    out.put("dlqDepth", dlq.count());
    Requests.json(exchange, 200, out);
  }

  private ObjectNode info() {
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("broker", broker.getClass().getSimpleName());
    out.put("mutations", requests.mutationsEnabled());
    out.put("showPayloads", showPayloads);
    return out;
  }

  private ObjectNode queues() {
    ObjectNode out = Requests.JSON.createObjectNode();
    ArrayNode rows = out.putArray("queues");
    for (String name : Consumables.of(broker)) {
      try {
        rows.add(row(broker.stats(name)));
      } catch (JQueueException e) {
        // deleted since it was listed, or unreachable for now: left out of this answer
      }
    }
    return out;
  }

  private ObjectNode queue(String name) {
    QueueStats s = broker.stats(name);
    ObjectNode out = row(s);
    out.put("filtered", s.filtered());
    out.put("oldestMessageAgeMillis", s.oldestMessageAge().toMillis());
    ArrayNode consumers = out.putArray("subscribers");
    for (SubscriberStats c : s.subscribers()) {
      ObjectNode o = consumers.addObject();
      o.put("id", c.id());
      o.put("processed", c.processed());
      o.put("errors", c.errors());
      o.put("holding", c.holding());
    }
    return out;
  }

  private ObjectNode row(QueueStats s) {
    ObjectNode o = Requests.JSON.createObjectNode();
    o.put("name", s.queue());
    o.put("depth", s.ready());
    o.put("inFlight", s.inFlight());
    o.put("delayed", s.delayed());
    o.put("dlq", s.dlqDepth());
    o.put("published", s.published());
    o.put("acked", s.acked());
    o.put("failed", s.failed());
    o.put("retried", s.retried());
    o.put("deadLettered", s.deadLettered());
    o.put("expired", s.expired());
    o.put("dropped", s.dropped());
    double[] rates = history.rates(s.queue());
    o.put("publishRate", Math.round(rates[0] * 100) / 100.0);
    o.put("ackRate", Math.round(rates[1] * 100) / 100.0);
    o.put("latencyCount", s.latency().count());
    o.put("p50Millis", millis(s.latency().p50().toNanos()));
    o.put("p95Millis", millis(s.latency().p95().toNanos()));
    o.put("p99Millis", millis(s.latency().p99().toNanos()));
    o.put("maxMillis", millis(s.latency().max().toNanos()));
    o.put("consumers", s.subscribers().size());
    return o;
  }

  private ObjectNode deadLetters(String queue, int max) {
    DeadLetters dlq = broker.deadLetters(queue);
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("queue", queue);
    out.put("dlq", dlq.queue());
    out.put("count", dlq.count());
    ArrayNode letters = out.putArray("letters");
    for (DeadLetter d : dlq.peek(max)) {
      ObjectNode o = letters.addObject();
      Message m = d.message();
      o.put("id", clip(m.id()));
      o.put("action", clip(m.action()));
      o.put("reason", d.reason().name());
      o.put("errorClass", clip(d.errorClass()));
      o.put("errorMessage", clip(d.errorMessage()));
      o.put("attempts", d.attempts());
      o.put("originalQueue", clip(d.originalQueue()));
      d.firstEnqueuedAt().ifPresent(t -> o.put("firstEnqueuedAt", t.toString()));
      d.deadLetteredAt().ifPresent(t -> o.put("deadLetteredAt", t.toString()));
      if (showPayloads) {
        addPayload(o, m);
      }
    }
    return out;
  }

  private static void addPayload(ObjectNode o, Message m) {
    ByteBuffer view = m.payloadView();
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(view)
              .toString();
      o.put("payload", clip(text));
      o.put("payloadEncoding", "utf-8");
    } catch (CharacterCodingException e) {
      byte[] bytes = m.payload();
      int n = Math.min(bytes.length, MAX_TEXT);
      o.put("payload", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, n)));
      o.put("payloadEncoding", "base64");
    }
    ObjectNode headers = o.putObject("headers");
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      headers.put(clip(h.getKey()), clip(h.getValue()));
    }
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  private static int peekSize(String max) {
    if (max == null) {
      return DEFAULT_PEEK;
    }
    try {
      int n = Integer.parseInt(max);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return Math.min(n, MAX_PEEK);
    } catch (NumberFormatException e) {
      throw new Requests.HttpError(400, "max must be a whole number from 1 to " + MAX_PEEK);
    }
  }

  private static long since(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Requests.HttpError(400, "since must be a sample number (the last one you have)");
    }
  }

  private static String queryParam(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return Requests.decodeSegment(pair.substring(eq + 1));
      }
    }
    return null;
  }
}
