package io.jqueue.publishers;

import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.UnroutableException;
import io.jqueue.ValidationException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sends each message to the publisher of the first route whose pattern matches its topic, in the
 * order routes were added, else to the fallback (the seed's Router, without its random map order).
 * Patterns are globs over the whole topic: {@code *} matches any run of characters (none too),
 * {@code ?} exactly one, everything else itself; {@code user.*} matches {@code user.created} and
 * {@code user.} but not {@code users}. Without a fallback an unmatched topic is an {@link
 * UnroutableException}. Thread-safe once built.
 *
 * <pre>{@code
 * Publisher router = Router.builder()
 *     .route("user.*", userPublisher)
 *     .route("order.*", orderPublisher)
 *     .fallback(defaultPublisher)
 *     .build();
 * }</pre>
 */
public final class Router extends DelegatingPublisher {
  private final List<Route> routes;
  private final Publisher fallback;

  private record Route(String glob, Pattern pattern, Publisher target) {}

  private Router(Builder b) {
    super(b.id);
    this.routes = List.copyOf(b.routes);
    this.fallback = b.fallback;
  }

  /** A router with no routes yet. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Publisher route(Message message) {
    String topic = message.topic();
    if (topic != null) {
      for (Route r : routes) {
        if (r.pattern.matcher(topic).matches()) {
          return r.target;
        }
      }
    }
    if (fallback == null) {
      throw new UnroutableException(
          "no route of router '"
              + id()
              + "' matches topic "
              + topic
              + " and it has no fallback; routes: "
              + routes.stream().map(Route::glob).toList());
    }
    return fallback;
  }

  @Override
  List<Publisher> targets() {
    Set<Publisher> all = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    List<Publisher> out = new ArrayList<>();
    routes.forEach(
        r -> {
          if (all.add(r.target)) {
            out.add(r.target);
          }
        });
    if (fallback != null && all.add(fallback)) {
      out.add(fallback);
    }
    return out;
  }

  /** Whether glob {@code pattern} matches {@code topic}, as the router matches it. */
  public static boolean matches(String pattern, String topic) {
    return compile(pattern).matcher(topic).matches();
  }

  private static Pattern compile(String glob) {
    if (glob == null || glob.isEmpty() || glob.length() > 255) {
      throw new ValidationException("a route pattern must be 1-255 characters, got " + glob);
    }
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  @Override
  public String toString() {
    return "Router{" + id() + ", routes=" + routes.stream().map(Route::glob).toList() + '}';
  }

  /** Builds a {@link Router}. */
  public static final class Builder {
    private String id = "router";
    private final List<Route> routes = new ArrayList<>();
    private final Set<String> globs = new LinkedHashSet<>();
    private Publisher fallback;

    private Builder() {}

    /** The router's id (default {@code router}). */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Adds a route; the first added that matches wins. A pattern may be added only once. */
    public Builder route(String pattern, Publisher target) {
      Objects.requireNonNull(target, "target");
      Pattern compiled = compile(pattern);
      if (!globs.add(pattern)) {
        throw new ValidationException("route pattern '" + pattern + "' was already added");
      }
      routes.add(new Route(pattern, compiled, target));
      return this;
    }

    /** Where messages no route matches go (default: nowhere, an UnroutableException). */
    public Builder fallback(Publisher fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    /** Builds the router. */
    public Router build() {
      if (routes.isEmpty() && fallback == null) {
        throw new ValidationException("a router needs at least one route or a fallback");
      }
      return new Router(this);
    }
  }
}
