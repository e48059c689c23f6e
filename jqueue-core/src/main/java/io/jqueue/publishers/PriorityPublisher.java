package io.jqueue.publishers;

import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.ValidationException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Sends each message to the publisher of its priority level (the seed's PriorityPublisher): the
 * level named by header {@value #HEADER} ({@code high}, {@code normal} or {@code low}, any case) if
 * present, else the level of the first action prefix that matches (by default {@code alert.} →
 * high, {@code analytics.} → low, as in the seed), else normal. A level without a publisher of its
 * own uses the normal one. An unknown header value is a {@link ValidationException}, not a silent
 * normal.
 */
public final class PriorityPublisher extends DelegatingPublisher {
  /** The header that names a message's priority level. */
  public static final String HEADER = "priority";

  /** Priority levels. */
  public enum Level {
    /** Urgent traffic, for example alerts. */
    HIGH,
    /** Everything else. */
    NORMAL,
    /** Traffic that may wait, for example analytics. */
    LOW
  }

  private final Map<Level, Publisher> byLevel;
  private final Map<String, Level> prefixes;

  private PriorityPublisher(Builder b) {
    super(b.id);
    this.byLevel = Map.copyOf(b.byLevel);
    this.prefixes = new LinkedHashMap<>(b.prefixes);
  }

  /** A builder with the seed's action prefixes; the normal publisher is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The level of {@code message}, as this publisher decides it. */
  public Level levelOf(Message message) {
    Optional<String> header = message.header(HEADER);
    if (header.isPresent()) {
      try {
        return Level.valueOf(header.get().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ValidationException.forField(
            "headers." + HEADER,
            "message "
                + message.id()
                + " has priority '"
                + header.get()
                + "'; use high, normal or low");
      }
    }
    String action = message.action();
    if (action != null) {
      for (Map.Entry<String, Level> p : prefixes.entrySet()) {
        if (action.startsWith(p.getKey())) {
          return p.getValue();
        }
      }
    }
    return Level.NORMAL;
  }

  @Override
  Publisher route(Message message) {
    Publisher p = byLevel.get(levelOf(message));
    return p != null ? p : byLevel.get(Level.NORMAL);
  }

  @Override
  List<Publisher> targets() {
    Set<Publisher> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    List<Publisher> out = new ArrayList<>();
    for (Level l : Level.values()) {
      Publisher p = byLevel.get(l);
      if (p != null && seen.add(p)) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "PriorityPublisher{" + id() + ", levels=" + byLevel.keySet() + '}';
  }

  /** Builds a {@link PriorityPublisher}. */
  public static final class Builder {
    private String id = "priority";
    private final Map<Level, Publisher> byLevel = new java.util.EnumMap<>(Level.class);
    private final Map<String, Level> prefixes = new LinkedHashMap<>();

    private Builder() {
      prefixes.put("alert.", Level.HIGH);
      prefixes.put("analytics.", Level.LOW);
    }

    /** The publisher's id (default {@code priority}). */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** The publisher of high-priority messages (default: the normal one). */
    public Builder high(Publisher publisher) {
      byLevel.put(Level.HIGH, Objects.requireNonNull(publisher, "publisher"));
      return this;
    }

    /** The publisher of normal messages; required. */
    public Builder normal(Publisher publisher) {
      byLevel.put(Level.NORMAL, Objects.requireNonNull(publisher, "publisher"));
      return this;
    }

    /** The publisher of low-priority messages (default: the normal one). */
    public Builder low(Publisher publisher) {
      byLevel.put(Level.LOW, Objects.requireNonNull(publisher, "publisher"));
      return this;
    }

    /** Messages whose action starts with {@code prefix} get {@code level} (checked in order). */
    public Builder actionPrefix(String prefix, Level level) {
      if (prefix == null || prefix.isEmpty()) {
        throw new ValidationException("an action prefix must not be empty");
      }
      prefixes.put(prefix, Objects.requireNonNull(level, "level"));
      return this;
    }

    /** Forgets the action prefixes, the seed's defaults included. */
    public Builder clearActionPrefixes() {
      prefixes.clear();
      return this;
    }

    /** Builds the publisher. */
    public PriorityPublisher build() {
      if (!byLevel.containsKey(Level.NORMAL)) {
        throw new ValidationException("a priority publisher needs a normal publisher");
      }
      return new PriorityPublisher(this);
    }
  }
}
