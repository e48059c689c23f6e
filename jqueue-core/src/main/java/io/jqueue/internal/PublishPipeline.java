package io.jqueue.internal;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a message through the publish chain: the default-headers step, the user's middlewares (first
 * listed outermost), the limits check, then the broker's {@link MessageSink}. The built-in steps
 * are links like any other, so every middleware sees the message as it will be sent.
 *
 * <p>It has two paths. The synchronous one ({@link #publish}) returns once the broker has the
 * message. The pipelined one ({@link #publishAsync}) returns once the message is on its way, so
 * many can wait for the broker at once; it runs only when every link is an {@link
 * AsyncPublishMiddleware} ({@link #pipelined()}), else {@code publishAsync} takes the synchronous
 * path and returns a completed future. Both enforce the same contract on every link.
 */
public final class PublishPipeline {
  private final String publisherId;
  private final List<PublishMiddleware> links;
  private final MessageSink sink;
  private final boolean pipelined;

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
    this.pipelined = links.stream().allMatch(l -> l instanceof AsyncPublishMiddleware);
  }

  /** Whether every link can go asynchronously, so {@link #publishAsync} pipelines. */
  public boolean pipelined() {
    return pipelined;
  }

  /** Publishes {@code message}, waiting no longer than {@code deadline}. */
  public PublishReceipt publish(Message message, Instant deadline) {
    return new Link(0, deadline, null).proceed(message);
  }

  /**
   * Starts publishing {@code message} and returns the future of its receipt, which completes by
   * {@code deadline}. When the chain is {@link #pipelined()} it returns once the message is on its
   * way (after waiting for the broker's back-pressure, if any); otherwise it publishes
   * synchronously first. Errors come as a failed future; an {@link Error} is thrown.
   */
  public CompletableFuture<PublishReceipt> publishAsync(Message message, Instant deadline) {
    if (!pipelined) {
      try {
        return CompletableFuture.completedFuture(publish(message, deadline));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return new AsyncLink(0, deadline, null).proceed(message);
  }

  /** The cause of a failure that reached us through a future. */
  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static PublishTimeoutException notSentInTime(Message message) {
    return new PublishTimeoutException(
        "the publish deadline passed before message "
            + message.id()
            + " reached the broker; it was not sent",
        Duration.ZERO);
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
          throw notSentInTime(message);
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

  /**
   * The pipelined chain position after link {@code index}: the same contract as {@link Link},
   * checked when the link's future completes.
   */
  private final class AsyncLink implements AsyncPublishChain {
    private final int index;
    private final Instant deadline;
    private final PublishMiddleware caller;
    private volatile boolean succeeded;

    AsyncLink(int index, Instant deadline, PublishMiddleware caller) {
      this.index = index;
      this.deadline = deadline;
      this.caller = caller;
    }

    @Override
    public CompletableFuture<PublishReceipt> proceed(Message message) {
      CompletableFuture<PublishReceipt> out = new CompletableFuture<>();
      if (message == null) {
        out.completeExceptionally(
            new IllegalStateException(
                "publish middleware " + caller.name() + " passed a null message to proceed()"));
        return out;
      }
      if (index == links.size()) {
        send(message)
            .whenComplete(
                (receipt, error) -> {
                  if (error != null) {
                    out.completeExceptionally(sinkError(message, unwrap(error)));
                  } else if (receipt == null) {
                    out.completeExceptionally(
                        new IllegalStateException(
                            "the broker completed a publish with no receipt"));
                  } else {
                    succeeded = true;
                    out.complete(receipt);
                  }
                });
        return out;
      }
      AsyncPublishMiddleware middleware = (AsyncPublishMiddleware) links.get(index);
      AsyncLink next = new AsyncLink(index + 1, deadline, middleware);
      CompletableFuture<PublishReceipt> returned;
      try {
        returned = middleware.publishAsync(message, next);
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
        return out;
      }
      if (returned == null) {
        out.completeExceptionally(
            new IllegalStateException(
                "publish middleware "
                    + middleware.name()
                    + " returned null; it must return the future of chain.proceed(message)"));
        return out;
      }
      returned.whenComplete(
          (receipt, error) -> {
            if (error != null) {
              out.completeExceptionally(unwrap(error));
            } else if (receipt == null) {
              out.completeExceptionally(
                  new IllegalStateException(
                      "publish middleware "
                          + middleware.name()
                          + " completed with null; it must complete with the receipt of"
                          + " chain.proceed(message)"));
            } else if (!next.succeeded) {
              out.completeExceptionally(
                  new IllegalStateException(
                      "publish middleware "
                          + middleware.name()
                          + " completed with a receipt without a successful chain.proceed(message):"
                          + " a message must never be reported as published unless the broker"
                          + " accepted it"));
            } else {
              succeeded = true;
              out.complete(receipt);
            }
          });
      return out;
    }

    /** Hands {@code message} to the sink; a future still pending at the deadline fails then. */
    private CompletableFuture<PublishReceipt> send(Message message) {
      if (Saturating.wallNow().isAfter(deadline)) {
        return CompletableFuture.failedFuture(notSentInTime(message));
      }
      CompletableFuture<PublishReceipt> sent;
      try {
        sent = sink.sendAsync(message, deadline);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      if (sent == null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the broker returned no future for message " + message.id()));
      }
      if (!sent.isDone()) {
        sent.orTimeout(Saturating.nanosUntil(Instant.now(), deadline), TimeUnit.NANOSECONDS);
      }
      return sent;
    }

    private Throwable sinkError(Message message, Throwable error) {
      if (!(error instanceof TimeoutException)) {
        return error;
      }
      return new PublishTimeoutException(
          "the broker did not confirm message "
              + message.id()
              + " before the publish deadline; it may or may not have been accepted: publish it"
              + " again (consumers must be idempotent)",
          Duration.ZERO);
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
