package io.jqueue.internal;

import io.jqueue.BrokerClosedException;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.QueueFullException;
import io.jqueue.RemoteHandlerException;
import io.jqueue.RequestTimeoutException;
import io.jqueue.RequesterStats;
import io.jqueue.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of one requester that wait for their reply, by correlation id, with a timeout each
 * on the broker's clock. Whoever removes a request's entry first (its reply, its timeout, a failed
 * publish, the caller giving up, closing) settles it, so a request completes once and its place is
 * freed once; a reply that finds no entry is dropped and counted as late. Counters change before
 * the future completes, and futures complete on {@code completions}, never on the clock's thread or
 * the thread that delivered the reply. Thread-safe.
 */
public final class PendingRequests {
  private static final Logger LOG = LoggerFactory.getLogger(PendingRequests.class);

  private final String requesterId;
  private final int maxInFlight;
  private final TimeSource clock;
  private final Executor completions;
  private final ConcurrentHashMap<String, Entry> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger places = new AtomicInteger(); // taken; never above maxInFlight
  private final LongAdder completed = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder late = new LongAdder();
  private final LongAdder remoteErrors = new LongAdder();
  private volatile boolean closed;

  /**
   * The table of requester {@code requesterId}, holding at most {@code maxInFlight} requests, whose
   * timeouts run on {@code clock} and whose futures complete on {@code completions}.
   */
  public PendingRequests(
      String requesterId, int maxInFlight, TimeSource clock, Executor completions) {
    this.requesterId = requesterId;
    this.maxInFlight = maxInFlight;
    this.clock = clock;
    this.completions = completions;
  }

  /** One waiting request. */
  private static final class Entry {
    final String correlationId;
    final String messageId;
    final String destination;
    final Duration timeout;
    final CompletableFuture<Message> future = new CompletableFuture<>();
    volatile TimeSource.Cancellable timer;

    Entry(String correlationId, String messageId, String destination, Duration timeout) {
      this.correlationId = correlationId;
      this.messageId = messageId;
      this.destination = destination;
      this.timeout = timeout;
    }
  }

  /**
   * Registers request {@code messageId} to {@code destination} under {@code correlationId} before
   * it is sent, and returns the future of its reply: already failed with {@link QueueFullException}
   * when {@code maxInFlight} requests wait, or with {@link BrokerClosedException} once closed.
   * Completing the future from outside gives the request up.
   */
  public CompletableFuture<Message> open(
      String correlationId, String messageId, String destination, Duration timeout) {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    if (!takePlace()) {
      return CompletableFuture.failedFuture(
          new QueueFullException(
              destination,
              maxInFlight,
              "requester '"
                  + requesterId
                  + "' already has "
                  + maxInFlight
                  + " requests waiting for their reply (maxInFlight); the request to '"
                  + destination
                  + "' was not sent: wait for replies and send it again, or raise"
                  + " RequesterOptions.maxInFlight"));
    }
    Entry e = new Entry(correlationId, messageId, destination, timeout);
    waiting.put(correlationId, e);
    e.future.whenComplete((m, error) -> take(e)); // given up by the caller: free its place
    try {
      e.timer = clock.schedule(timeout, () -> timedOut(e));
    } catch (RuntimeException clockClosed) { // the broker's clock stopped: the broker is closing
      fail(e, closedError());
      return e.future;
    }
    if (e.future.isDone()) { // settled before its timer was set: the timer must not linger
      e.timer.cancel();
    }
    if (closed) { // closeAll ran while it registered; either closeAll or this settles it
      fail(e, closedError());
    }
    return e.future;
  }

  /**
   * Completes the request {@code reply} answers (by its correlation id), with the reply or, when it
   * carries {@link JQueueHeaders#ERROR_CLASS}, with {@link RemoteHandlerException}; drops and
   * counts a reply that matches no waiting request.
   */
  public void replied(Message reply) {
    Optional<String> correlationId = reply.correlationId();
    Entry e = correlationId.map(waiting::get).orElse(null);
    if (e == null || !take(e)) {
      late.increment();
      LOG.debug(
          "requester '{}' dropped reply {} (correlation id {}): its request timed out, was given up,"
              + " or is not this requester's",
          requesterId,
          reply.id(),
          correlationId.orElse("none"));
      return;
    }
    Optional<String> errorClass = reply.header(JQueueHeaders.ERROR_CLASS);
    if (errorClass.isPresent()) {
      remoteErrors.increment();
      String text = reply.header(JQueueHeaders.ERROR_MESSAGE).orElse("");
      completeLater(e, null, new RemoteHandlerException(e.destination, errorClass.get(), text));
    } else {
      completed.increment();
      completeLater(e, reply, null);
    }
  }

  /**
   * Fails the request registered under {@code correlationId} with {@code error} (its send failed).
   */
  public void failed(String correlationId, Throwable error) {
    Entry e = waiting.get(correlationId);
    if (e != null) {
      fail(e, error);
    }
  }

  /**
   * Fails every waiting request with {@link BrokerClosedException} on the calling thread and
   * cancels their timers; requests registered afterwards fail at once.
   */
  public void closeAll() {
    closed = true;
    for (Entry e : List.copyOf(waiting.values())) {
      if (take(e)) {
        e.future.completeExceptionally(closedError());
      }
    }
  }

  /** A snapshot of the figures. */
  public RequesterStats stats() {
    return new RequesterStats(
        waiting.size(), completed.sum(), timedOut.sum(), late.sum(), remoteErrors.sum());
  }

  private void timedOut(Entry e) {
    if (!take(e)) {
      return; // answered (or given up) just before
    }
    timedOut.increment();
    completeLater(
        e,
        null,
        new RequestTimeoutException(
            "no reply to request "
                + e.messageId
                + " (correlation id "
                + e.correlationId
                + ") sent to '"
                + e.destination
                + "' within "
                + e.timeout
                + "; it may still be handled (a late reply is dropped): raise the timeout, check"
                + " that a responder serves '"
                + e.destination
                + "', and keep responders idempotent before sending it again"));
  }

  private void fail(Entry e, Throwable error) {
    if (take(e)) {
      completeLater(e, null, error);
    }
  }

  /** Removes {@code e} if it still waits, freeing its place and timer; whether this call did. */
  private boolean take(Entry e) {
    if (!waiting.remove(e.correlationId, e)) {
      return false;
    }
    places.decrementAndGet();
    TimeSource.Cancellable timer = e.timer;
    if (timer != null) {
      timer.cancel();
    }
    return true;
  }

  private boolean takePlace() {
    while (true) {
      int n = places.get();
      if (n >= maxInFlight) {
        return false;
      }
      if (places.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private void completeLater(Entry e, Message reply, Throwable error) {
    Runnable complete =
        () -> {
          if (error == null) {
            e.future.complete(reply);
          } else {
            e.future.completeExceptionally(error);
          }
        };
    try {
      completions.execute(complete);
    } catch (RejectedExecutionException shutDown) {
      complete.run(); // the requester is closing: no thread of its own is left to do it
    }
  }

  private BrokerClosedException closedError() {
    return new BrokerClosedException(
        "requester '"
            + requesterId
            + "' is closed (or its broker is); a request sent before may still be handled, but"
            + " its reply is dropped: open a new requester to send requests");
  }
}
