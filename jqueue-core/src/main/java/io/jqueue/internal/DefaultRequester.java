package io.jqueue.internal;

import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.Requester;
import io.jqueue.RequesterOptions;
import io.jqueue.RequesterStats;
import io.jqueue.ValidationException;
import io.jqueue.spi.RequestTransport;
import io.jqueue.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link Requester} of every broker: a request gets a fresh correlation id and the transport's
 * reply-to, is registered in {@link PendingRequests}, then goes through the requester's publisher,
 * whose chain ends in the broker's {@link RequestTransport}; the transport hands replies back.
 */
public final class DefaultRequester implements Requester {
  private final String id;
  private final PendingRequests pending;
  private final RequestTransport transport;
  private final Publisher publisher;
  private final ThreadPoolExecutor completions;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DefaultRequester(
      String id,
      PendingRequests pending,
      RequestTransport transport,
      Publisher publisher,
      ThreadPoolExecutor completions,
      Runnable onClose) {
    this.id = id;
    this.pending = pending;
    this.transport = transport;
    this.publisher = publisher;
    this.completions = completions;
    this.onClose = onClose;
  }

  /**
   * Opens a requester: its timeouts run on {@code clock}, {@code transports} opens its transport
   * for a reply callback, {@code publishers} makes its publisher for a sink (the transport's send);
   * {@code onClose} runs once when it has closed. What was opened is released if a later step
   * fails.
   */
  public static DefaultRequester open(
      RequesterOptions options,
      TimeSource clock,
      Function<Consumer<Message>, RequestTransport> transports,
      Function<MessageSink, Publisher> publishers,
      Runnable onClose) {
    // futures complete here, never on the broker's clock or reply threads (user code chains on)
    ThreadPoolExecutor completions =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new NamedThreadFactory("jqueue-requester-" + options.id()));
    completions.allowCoreThreadTimeOut(true);
    PendingRequests pending =
        new PendingRequests(options.id(), options.maxInFlight(), clock, completions);
    RequestTransport transport = null;
    try {
      transport = transports.apply(pending::replied);
      Publisher publisher = publishers.apply(transport::send);
      return new DefaultRequester(
          options.id(), pending, transport, publisher, completions, onClose);
    } catch (RuntimeException e) {
      if (transport != null) {
        transport.close();
      }
      completions.shutdown();
      throw e;
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public CompletableFuture<Message> request(Message request, Duration timeout) {
    Objects.requireNonNull(request, "request");
    Checks.positive(timeout, "request timeout");
    if (request.topic() == null) {
      throw ValidationException.forField(
          "topic",
          "request "
              + request.id()
              + " has no topic; set Message.builder().topic(...) to the queue a responder serves");
    }
    String correlationId = UuidV7.next().toString();
    Message out =
        request.toBuilder().correlationId(correlationId).replyTo(transport.replyTo()).build();
    CompletableFuture<Message> reply = pending.open(correlationId, out.id(), out.topic(), timeout);
    if (reply.isDone()) {
      return reply; // refused: full or closed; nothing was sent
    }
    CompletableFuture<PublishReceipt> sent;
    try {
      sent = publisher.publishAsync(out);
    } catch (RuntimeException e) { // a closed publisher may refuse at once
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (receipt, error) -> {
          if (error != null) {
            pending.failed(correlationId, unwrap(error));
          }
        });
    return reply;
  }

  @Override
  public RequesterStats stats() {
    return pending.stats();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      pending.closeAll();
    } finally {
      try {
        publisher.close(Duration.ZERO);
      } finally {
        try {
          transport.close();
        } finally {
          completions.shutdown(); // completions already handed to it still run
          onClose.run();
        }
      }
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  @Override
  public String toString() {
    return "Requester{" + id + (closed.get() ? ", closed" : "") + '}';
  }
}
