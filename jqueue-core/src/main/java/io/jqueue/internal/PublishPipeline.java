package io.jqueue.internal;

import io.jqueue.Message;
import io.jqueue.MessageLimits;
import io.jqueue.MessageTooLargeException;
import io.jqueue.PublishChain;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a message through the publish chain: the default-headers step, the user's middlewares (first
 * listed outermost), the limits check, then the broker's {@link MessageSink}. The built-in steps
 * are links like any other, so every middleware sees the message as it will be sent.
 */
public final class PublishPipeline {
  private final String publisherId;
  private final List<PublishMiddleware> links;
  private final MessageSink sink;

  /** Builds the chain for a publisher with {@code options} ending in {@code sink}. */
  public PublishPipeline(PublisherOptions options, MessageSink sink) {
    this(options, Map.of(), sink);
  }

  /**
   * Builds the chain for a publisher with {@code options} ending in {@code sink}; the broker's
   * {@code brokerDefaults} apply under the publisher's own default headers, and both go in before
   * the first middleware, so every middleware sees the message as it will be sent.
   */
  public PublishPipeline(
      PublisherOptions options, Map<String, String> brokerDefaults, MessageSink sink) {
    this.publisherId = options.id();
    this.sink = Objects.requireNonNull(sink, "sink");
    List<PublishMiddleware> all = new ArrayList<>();
    Map<String, String> defaults = new java.util.LinkedHashMap<>(options.defaultHeaders());
    brokerDefaults.forEach(defaults::putIfAbsent);
    if (!defaults.isEmpty()) {
      all.add(new DefaultHeaders(Map.copyOf(defaults)));
    }
    all.addAll(options.middlewares());
    all.add(new LimitsCheck(options.limits()));
    this.links = List.copyOf(all);
  }

  /** Publishes {@code message}, waiting no longer than {@code deadline}. */
  public PublishReceipt publish(Message message, Instant deadline) {
    return new Link(0, deadline, null).proceed(message);
  }

  /** The chain position after link {@code index}; checks the contract of the link before it. */
  private final class Link implements PublishChain {
    private final int index;
    private final Instant deadline;
    private final PublishMiddleware caller;
    private boolean succeeded;

    Link(int index, Instant deadline, PublishMiddleware caller) {
      this.index = index;
      this.deadline = deadline;
      this.caller = caller;
    }

    @Override
    public PublishReceipt proceed(Message message) {
      if (message == null) {
        throw new IllegalStateException(
            "publish middleware " + caller.name() + " passed a null message to proceed()");
      }
      PublishReceipt receipt;
      if (index == links.size()) {
        if (Instant.now().isAfter(deadline)) {
          throw new PublishTimeoutException(
              "the publish deadline passed before message "
                  + message.id()
                  + " reached the broker; it was not sent",
              Duration.ZERO);
        }
        receipt = sink.send(message, deadline);
      } else {
        PublishMiddleware middleware = links.get(index);
        Link next = new Link(index + 1, deadline, middleware);
        receipt = middleware.publish(message, next);
        if (receipt == null) {
          throw new IllegalStateException(
              "publish middleware "
                  + middleware.name()
                  + " returned null; it must return the receipt of chain.proceed(message)");
        }
        if (!next.succeeded) {
          throw new IllegalStateException(
              "publish middleware "
                  + middleware.name()
                  + " returned a receipt without a successful chain.proceed(message): a message"
                  + " must never be reported as published unless the broker accepted it");
        }
      }
      succeeded = true;
      return receipt;
    }

    @Override
    public Instant deadline() {
      return deadline;
    }

    @Override
    public String publisherId() {
      return publisherId;
    }
  }

  /** Adds the publisher's default headers to messages that do not set them. */
  private static final class DefaultHeaders implements PublishMiddleware {
    private final Map<String, String> defaults;

    DefaultHeaders(Map<String, String> defaults) {
      this.defaults = defaults;
    }

    @Override
    public PublishReceipt publish(Message message, PublishChain chain) {
      if (message.headers().keySet().containsAll(defaults.keySet())) {
        return chain.proceed(message);
      }
      Message.Builder b = message.toBuilder();
      defaults.forEach(
          (k, v) -> {
            if (!message.headers().containsKey(k)) {
              b.header(k, v);
            }
          });
      return chain.proceed(b.build());
    }

    @Override
    public String name() {
      return "default-headers";
    }
  }

  /** Refuses messages without a topic or over the configured limits, before anything is sent. */
  private static final class LimitsCheck implements PublishMiddleware {
    private final MessageLimits limits;

    LimitsCheck(MessageLimits limits) {
      this.limits = limits;
    }

    @Override
    public PublishReceipt publish(Message message, PublishChain chain) {
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
      long headerBytes = Utf8.headerBytes(message.headers());
      if (headerBytes > limits.maxHeaderBytes()) {
        throw MessageTooLargeException.headers(message.id(), headerBytes, limits.maxHeaderBytes());
      }
      return chain.proceed(message);
    }

    private void identifier(Message message, String field, String value) {
      if (value == null) {
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
}
