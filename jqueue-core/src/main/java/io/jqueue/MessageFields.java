package io.jqueue;

import java.time.Duration;
import java.time.Instant;

/**
 * The checks {@link Message.Builder} makes of each field; each throws {@link ValidationException}.
 */
final class MessageFields {
  private MessageFields() {}

  /** The fields most messages leave unset, kept apart so such a message needs no room for them. */
  record Rare(String key, Duration ttl, Instant expiresAt) {}

  /** The rare fields, or {@code null} when none is set. */
  static Rare rare(String key, Duration ttl, Instant expiresAt) {
    return key == null && ttl == null && expiresAt == null ? null : new Rare(key, ttl, expiresAt);
  }

  static String id(String id) {
    if (id == null || id.isBlank()) {
      throw new ValidationException("message id must not be blank");
    }
    return id;
  }

  static String action(String action) {
    if (action != null && (action.isEmpty() || action.length() > 255)) {
      throw new ValidationException("action must be 1-255 characters, got " + action.length());
    }
    return action;
  }

  static String contentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw new ValidationException("contentType must not be blank");
    }
    return contentType;
  }

  static String headerValue(String name, String value) {
    if (value == null) {
      throw new ValidationException("header '" + name + "' has a null value");
    }
    return value;
  }

  /** A header that may be absent ({@code null}) but not blank. */
  static String optionalHeader(String name, String value) {
    if (value != null && value.isBlank()) {
      throw new ValidationException(name + " must not be blank (use null for none)");
    }
    return value;
  }

  static int priority(int priority) {
    if (priority < 0 || priority > Message.MAX_PRIORITY) {
      throw new ValidationException("priority must be between 0 and 255, got " + priority);
    }
    return priority;
  }

  static String key(String key) {
    if (key != null && key.isEmpty()) {
      throw new ValidationException("key must not be empty (use null for no key)");
    }
    return key;
  }

  static Duration ttl(Duration ttl) {
    if (ttl != null
        && (ttl.isNegative() || ttl.isZero() || ttl.compareTo(QueueSpec.MAX_MESSAGE_TTL) > 0)) {
      throw new ValidationException(
          "ttl must be positive and at most 4294967295ms (about 49 days), got " + ttl);
    }
    return ttl;
  }
}
