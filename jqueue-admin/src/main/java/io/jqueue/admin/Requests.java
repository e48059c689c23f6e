package io.jqueue.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jqueue.BrokerClosedException;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.JQueueException;
import io.jqueue.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request goes through: security headers, the loopback host check, the token check of
 * calls that change state, and errors turned into JSON with the right status (SPEC §9: a clear
 * message, never a stack trace).
 */
final class Requests {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final int MAX_BODY = 1024;

  /**
   * {@code localhost}, {@code [::1]} or an IPv4 literal in 127/8, each with an optional port;
   * nothing else, since a name such as {@code 127.example.com} can be rebound to 127.0.0.1.
   */
  private static final Pattern LOOPBACK_HOST =
      Pattern.compile(
          "(localhost|\\[::1]|127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2})"
              + "(:\\d{1,5})?");

  /** One route: handles the request or throws; the guard answers errors and closes. */
  interface Route {
    void handle(HttpExchange exchange) throws IOException;
  }

  /** An answer other than 200 that a route decides on. */
  static final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final boolean loopbackOnly;
  private final byte[] token;

  Requests(boolean loopbackOnly, byte[] token) {
    this.loopbackOnly = loopbackOnly;
    this.token = token;
  }

  HttpHandler guard(Route route) {
    return exchange -> {
      try {
        var headers = exchange.getResponseHeaders();
        headers.set(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors"
                + " 'none'");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cache-Control", "no-store");
        try {
          checkHost(exchange);
          route.handle(exchange);
        } catch (HttpError e) {
          error(exchange, e.status, e.getMessage());
        } catch (DestinationNotFoundException e) {
          error(exchange, 404, e.getMessage());
        } catch (ValidationException e) {
          error(exchange, 400, e.getMessage());
        } catch (BrokerUnavailableException | BrokerClosedException e) {
          error(exchange, 503, e.getMessage());
        } catch (JQueueException e) {
          error(exchange, 500, e.getMessage());
        } catch (RuntimeException e) {
          LOG.warn("admin request {} failed", exchange.getRequestURI().getRawPath(), e);
          error(exchange, 500, "internal error: " + e.getClass().getSimpleName());
        }
      } catch (IOException e) {
        LOG.debug("admin client went away", e);
      } finally {
        exchange.close();
      }
    };
  }

  /**
   * While bound to loopback, answers only requests whose {@code Host} is a loopback name: a page on
   * another site that rebinds its DNS name to 127.0.0.1 gets nothing.
   */
  private void checkHost(HttpExchange exchange) {
    if (!loopbackOnly) {
      return;
    }
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null) {
      return; // HTTP/1.0 clients such as probes
    }
    if (!LOOPBACK_HOST.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
      throw new HttpError(421, "this admin server answers loopback host names only");
    }
  }

  boolean mutationsEnabled() {
    return token != null;
  }

  /** Refuses the call unless it carries the token as {@code Authorization: Bearer <token>}. */
  void requireToken(HttpExchange exchange) {
    if (token == null) {
      throw new HttpError(
          403,
          "redrive and purge are switched off: start the admin server with a token"
              + " (AdminServer.Builder.token, or JQUEUE_ADMIN_TOKEN for the CLI)");
    }
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    byte[] given =
        auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).trim().getBytes(StandardCharsets.US_ASCII)
            : new byte[0];
    if (!MessageDigest.isEqual(given, token)) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw new HttpError(
          401, "this call changes state: send the admin token as 'Authorization: Bearer <token>'");
    }
  }

  static void requireMethod(HttpExchange exchange, String method) {
    String m = exchange.getRequestMethod();
    if (!m.equals(method) && !(method.equals("GET") && m.equals("HEAD"))) {
      exchange.getResponseHeaders().set("Allow", method.equals("GET") ? "GET, HEAD" : method);
      throw new HttpError(405, m + " is not allowed here; use " + method);
    }
  }

  /** The request body as JSON (an empty object when there is none), at most 1 KiB. */
  static JsonNode body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new HttpError(413, "request body over " + MAX_BODY + " bytes");
      }
      if (bytes.length == 0) {
        return JSON.createObjectNode();
      }
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        throw new HttpError(400, "request body is not JSON");
      }
    }
  }

  /** One path segment, percent-decoded ({@code +} stays a plus). */
  static String decodeSegment(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "malformed percent-encoding in the path");
    }
  }

  static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("status", status);
    body.put("error", message == null ? "" : message);
    json(exchange, status, body);
  }
}
