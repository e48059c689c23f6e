package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs every publish through SLF4J (logger {@code io.jqueue.publish}): id, topic, action, size,
 * headers and how long the rest of the chain took, at a chosen level (DEBUG by default); a failed
 * publish at WARN with the error. The payload is logged only when asked for ({@link
 * Builder#includePayload}, the seed's debug mode), cut to a bounded length. Header values whose
 * names look secret ({@code authorization}, {@code cookie}, names containing {@code password},
 * {@code secret}, {@code token}, {@code key}, plus any the application names) are always shown as
 * {@code ***}.
 */
public final class PublishLogging implements AsyncPublishMiddleware {
  private static final Set<String> SECRET_WORDS =
      Set.of("authorization", "cookie", "password", "passwd", "secret", "token", "key");

  private final Logger log;
  private final Level level;
  private final boolean includePayload;
  private final int maxPayloadChars;
  private final Set<String> secretHeaders;

  private PublishLogging(Builder b) {
    this.log = b.logger != null ? b.logger : LoggerFactory.getLogger("io.jqueue.publish");
    this.level = b.level;
    this.includePayload = b.includePayload;
    this.maxPayloadChars = b.maxPayloadChars;
    this.secretHeaders = Set.copyOf(b.secretHeaders);
  }

  /** Logs every publish at DEBUG, without payloads. */
  public static PublishLogging create() {
    return builder().build();
  }

  /** A builder with the defaults: DEBUG, no payloads. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    long start = System.nanoTime();
    try {
      PublishReceipt receipt = chain.proceed(message);
      logPublished(message, start);
      return receipt;
    } catch (RuntimeException | Error e) {
      logFailed(message, start, e);
      throw e;
    }
  }

  /** Like {@link #publish}: logs once the broker answered, on the pipelined path. */
  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    long start = System.nanoTime();
    return chain
        .proceed(message)
        .whenComplete(
            (receipt, error) -> {
              if (error == null) {
                logPublished(message, start);
              } else {
                logFailed(message, start, error);
              }
            });
  }

  private void logPublished(Message message, long start) {
    if (log.isEnabledForLevel(level)) {
      log.atLevel(level).log("published {} in {} ms", describe(message), millisSince(start));
    }
  }

  private void logFailed(Message message, long start, Throwable error) {
    Throwable e =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    log.warn(
        "publish of {} failed after {} ms: {}",
        describe(message),
        millisSince(start),
        e.toString());
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  /** What is logged of {@code message}: never a secret, the payload only when asked for. */
  String describe(Message message) {
    StringBuilder s = new StringBuilder("message ").append(message.id());
    s.append(" to ").append(message.topic());
    if (message.action() != null) {
      s.append(" action ").append(message.action());
    }
    s.append(" (").append(message.payloadSize()).append(" bytes, ").append(message.contentType());
    s.append(") headers ").append(safeHeaders(message.headers()));
    if (includePayload) {
      s.append(" payload ").append(payloadText(message));
    }
    return s.toString();
  }

  private Map<String, String> safeHeaders(Map<String, String> headers) {
    Map<String, String> safe = new LinkedHashMap<>();
    headers.forEach((k, v) -> safe.put(k, isSecret(k) ? "***" : v));
    return safe;
  }

  private boolean isSecret(String header) {
    String lower = header.toLowerCase(Locale.ROOT);
    if (secretHeaders.contains(lower)) {
      return true;
    }
    for (String word : SECRET_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private String payloadText(Message message) {
    String type = message.contentType().toLowerCase(Locale.ROOT);
    boolean text =
        (type.startsWith("text/") || type.contains("json") || type.contains("xml"))
            && message.header("content-encoding").isEmpty()
            && message.header("jqueue-encryption").isEmpty();
    if (!text) {
      return "<" + message.payloadSize() + " bytes, not shown as text>";
    }
    int bytes = Math.min(message.payloadSize(), maxPayloadChars * 4);
    String body = new String(message.payload(), 0, bytes, StandardCharsets.UTF_8);
    if (body.length() > maxPayloadChars) {
      return body.substring(0, maxPayloadChars) + "...";
    }
    return bytes < message.payloadSize() ? body + "..." : body;
  }

  @Override
  public String name() {
    return "logging";
  }

  @Override
  public String toString() {
    return "PublishLogging{level=" + level + ", includePayload=" + includePayload + '}';
  }

  /** Builds a {@link PublishLogging}. */
  public static final class Builder {
    private Logger logger;
    private Level level = Level.DEBUG;
    private boolean includePayload;
    private int maxPayloadChars = 1024;
    private final java.util.Set<String> secretHeaders = new java.util.HashSet<>();

    private Builder() {}

    /** Logs to {@code logger} instead of {@code io.jqueue.publish}. */
    public Builder logger(Logger logger) {
      this.logger = java.util.Objects.requireNonNull(logger, "logger");
      return this;
    }

    /** The level of successful publishes (failures are always WARN). */
    public Builder level(Level level) {
      this.level = java.util.Objects.requireNonNull(level, "level");
      return this;
    }

    /** Logs text payloads too, at most {@code maxChars} characters of each (debug mode). */
    public Builder includePayload(int maxChars) {
      if (maxChars < 1 || maxChars > 1_000_000) {
        throw new ValidationException("maxChars must be 1-1000000, got " + maxChars);
      }
      this.includePayload = true;
      this.maxPayloadChars = maxChars;
      return this;
    }

    /** Also shows header {@code name} (any case) as {@code ***}. */
    public Builder secretHeader(String name) {
      if (name == null || name.isBlank()) {
        throw new ValidationException("a secret header name must not be blank");
      }
      secretHeaders.add(name.toLowerCase(Locale.ROOT));
      return this;
    }

    /** Builds the middleware. */
    public PublishLogging build() {
      return new PublishLogging(this);
    }
  }
}
