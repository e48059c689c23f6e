package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.Message;
import io.jqueue.MessageLimits;
import io.jqueue.MessageTooLargeException;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.QueueSpec;
import io.jqueue.ValidationException;
import io.jqueue.internal.Utf8;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Refuses messages without a topic or over the configured {@link MessageLimits} with a typed error
 * naming the limit, before anything is sent: the last link of every publish chain before the
 * broker, identical on every broker.
 */
public final class LimitsCheck implements AsyncPublishMiddleware {
  private final MessageLimits limits;

  /** Checks every message against {@code limits}. */
  public LimitsCheck(MessageLimits limits) {
    this.limits = limits;
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    check(message);
    return chain.proceed(message);
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    check(message);
    return chain.proceed(message);
  }

  private void check(Message message) {
    if (message.topic() == null) {
      throw new ValidationException(
          "message " + message.id() + " has no topic; set Message.builder().topic(...)");
    }
    identifier(message, "id", message.id());
    identifier(message, "action", message.action());
    identifier(message, "key", message.key().orElse(null));
    identifier(message, "content type", message.contentType());
    if (message.expiresAt().isPresent()
        && Duration.between(Instant.now(), message.expiresAt().get())
                .compareTo(QueueSpec.MAX_MESSAGE_TTL)
            > 0) {
      throw new ValidationException(
          "message "
              + message.id()
              + " expires more than 4294967295ms (about 49 days) from now, longer than every"
              + " broker holds a TTL; set an earlier expiresAt or none");
    }
    if (message.payloadSize() > limits.maxPayloadBytes()) {
      throw new MessageTooLargeException(
          message.id(), message.payloadSize(), limits.maxPayloadBytes());
    }
    if (message.headers().size() > limits.maxHeaders()) {
      throw new ValidationException(
          "message "
              + message.id()
              + " has "
              + message.headers().size()
              + " headers, over the limit of "
              + limits.maxHeaders()
              + " (MessageLimits.maxHeaders)");
    }
    long headerBytes = message.headers().isEmpty() ? 0 : Utf8.headerBytes(message.headers());
    if (headerBytes > limits.maxHeaderBytes()) {
      throw MessageTooLargeException.headers(message.id(), headerBytes, limits.maxHeaderBytes());
    }
  }

  private void identifier(Message message, String field, String value) {
    if (value == null || Utf8.fits(value, limits.maxIdentifierBytes())) {
      return;
    }
    int bytes = Utf8.length(value);
    if (bytes > limits.maxIdentifierBytes()) {
      throw new ValidationException(
          "the "
              + field
              + " of message "
              + abbreviate(message.id())
              + " is "
              + bytes
              + " bytes long (UTF-8), over the limit of "
              + limits.maxIdentifierBytes()
              + " (MessageLimits.maxIdentifierBytes)");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  @Override
  public String name() {
    return "limits-check";
  }
}
