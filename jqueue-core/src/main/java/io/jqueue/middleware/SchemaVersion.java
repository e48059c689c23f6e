package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Stamps the payload's schema version in header {@value JQueueHeaders#SCHEMA_VERSION}, so consumers
 * can tell old payloads from new ones while a change rolls out (the seed's versioned messages): a
 * version per action, a default for the rest. A message that already carries the header keeps it.
 */
public final class SchemaVersion implements AsyncPublishMiddleware {
  private final String defaultVersion;
  private final Map<String, String> byAction;

  private SchemaVersion(String defaultVersion, Map<String, String> byAction) {
    this.defaultVersion = defaultVersion;
    this.byAction = Map.copyOf(byAction);
  }

  /** Stamps {@code version} on every message. */
  public static SchemaVersion of(String version) {
    return builder().defaultVersion(version).build();
  }

  /** A builder: versions per action and an optional default. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    return chain.proceed(stamped(message));
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    return chain.proceed(stamped(message));
  }

  private Message stamped(Message message) {
    if (message.header(JQueueHeaders.SCHEMA_VERSION).isPresent()) {
      return message;
    }
    String version =
        message.action() == null
            ? defaultVersion
            : byAction.getOrDefault(message.action(), defaultVersion);
    if (version == null) {
      return message;
    }
    return message.toBuilder().header(JQueueHeaders.SCHEMA_VERSION, version).build();
  }

  @Override
  public String name() {
    return "schema-version";
  }

  @Override
  public String toString() {
    return "SchemaVersion{default=" + defaultVersion + ", byAction=" + byAction + '}';
  }

  /** Builds a {@link SchemaVersion}. */
  public static final class Builder {
    private String defaultVersion;
    private final Map<String, String> byAction = new LinkedHashMap<>();

    private Builder() {}

    /** The version of messages whose action has none of its own (default: none, no header). */
    public Builder defaultVersion(String version) {
      this.defaultVersion = check(version);
      return this;
    }

    /** The version of messages with action {@code action}. */
    public Builder version(String action, String version) {
      if (action == null || action.isBlank()) {
        throw new ValidationException("action must not be blank");
      }
      byAction.put(action, check(version));
      return this;
    }

    private static String check(String version) {
      if (version == null || version.isBlank() || version.length() > 64) {
        throw new ValidationException("a schema version must be 1-64 characters, got " + version);
      }
      return version;
    }

    /** Builds the middleware. */
    public SchemaVersion build() {
      if (defaultVersion == null && byAction.isEmpty()) {
        throw new ValidationException("give a default version or at least one per action");
      }
      return new SchemaVersion(defaultVersion, byAction);
    }
  }
}
