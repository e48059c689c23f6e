package io.jqueue.internal;

import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.PublisherOptions;
import io.jqueue.middleware.DefaultHeaders;
import io.jqueue.middleware.LimitsCheck;
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
      all.add(new DefaultHeaders(defaults));
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
        if (Saturating.wallNow().isAfter(deadline)) {
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
}
