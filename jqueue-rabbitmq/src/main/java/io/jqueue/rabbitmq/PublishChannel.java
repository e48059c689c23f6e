package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One publishing channel in confirm mode and the publishes it waits confirms for. A publish is
 * settled by the broker's ack (or, for a mandatory message RabbitMQ could not route, by its return
 * followed by the ack), its nack, or the channel's death, which fails every pending publish at
 * once: nobody waits for a confirm that can no longer come.
 */
final class PublishChannel {
  /** How one publish ended. */
  enum Outcome {
    ACKED,
    RETURNED,
    NACKED,
    CHANNEL_CLOSED
  }

  /** A publish waiting for its confirm. */
  static final class Pending {
    final String messageId;
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    volatile boolean returned;
    volatile String returnText;

    Pending(String messageId) {
      this.messageId = messageId;
    }
  }

  private final Channel channel;
  private final Semaphore window;
  private final NavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
  private final Map<String, ArrayDeque<Pending>> byMessageId = new HashMap<>();
  private volatile boolean permanentlyClosed;

  PublishChannel(Channel channel, int maxOutstanding) throws IOException {
    this.channel = channel;
    this.window = new Semaphore(maxOutstanding);
    channel.confirmSelect();
    channel.addConfirmListener(
        (tag, multiple) -> settle(tag, multiple, Outcome.ACKED),
        (tag, multiple) -> settle(tag, multiple, Outcome.NACKED));
    channel.addReturnListener(this::returned);
    channel.addShutdownListener(this::shutdown);
  }

  /**
   * Publishes and returns the pending confirm; returns {@code null} when the channel is closed
   * (nothing was sent). Waits at most until {@code deadline} for room in the confirm window.
   */
  Pending publish(
      String exchange,
      String routingKey,
      boolean mandatory,
      AMQP.BasicProperties props,
      byte[] body,
      Instant deadline)
      throws InterruptedException, WindowFullException {
    long waitNanos = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
    if (!window.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
      throw new WindowFullException();
    }
    Pending p = new Pending(props.getMessageId());
    p.outcome.whenComplete((o, e) -> window.release());
    synchronized (this) {
      if (!channel.isOpen()) {
        p.outcome.complete(Outcome.CHANNEL_CLOSED);
        return null;
      }
      long seq = channel.getNextPublishSeqNo();
      pending.put(seq, p);
      if (p.messageId != null) {
        byMessageId.computeIfAbsent(p.messageId, k -> new ArrayDeque<>()).addLast(p);
      }
      try {
        channel.basicPublish(exchange, routingKey, mandatory, props, body);
      } catch (IOException | RuntimeException e) { // AlreadyClosedException is a RuntimeException
        forget(seq, p);
        p.outcome.complete(Outcome.CHANNEL_CLOSED);
        return null;
      }
    }
    return p;
  }

  private synchronized void settle(long tag, boolean multiple, Outcome outcome) {
    NavigableMap<Long, Pending> done =
        multiple ? pending.headMap(tag, true) : pending.subMap(tag, true, tag, true);
    for (Map.Entry<Long, Pending> e : done.entrySet()) {
      Pending p = e.getValue();
      unindex(p);
      p.outcome.complete(outcome == Outcome.ACKED && p.returned ? Outcome.RETURNED : outcome);
    }
    done.clear();
  }

  private synchronized void returned(Return r) {
    String id = r.getProperties().getMessageId();
    ArrayDeque<Pending> candidates = id == null ? null : byMessageId.get(id);
    if (candidates != null) {
      for (Pending p : candidates) {
        if (!p.returned) {
          p.returned = true;
          p.returnText = r.getReplyCode() + " " + r.getReplyText();
          return;
        }
      }
    }
  }

  private void shutdown(ShutdownSignalException cause) {
    if (!cause.isHardError() && !cause.isInitiatedByApplication()) {
      permanentlyClosed = true; // a channel-level error: this channel will not recover
    }
    synchronized (this) {
      pending.values().forEach(p -> p.outcome.complete(Outcome.CHANNEL_CLOSED));
      pending.clear();
      byMessageId.clear();
    }
  }

  private void forget(long seq, Pending p) {
    pending.remove(seq);
    unindex(p);
  }

  private void unindex(Pending p) {
    if (p.messageId == null) {
      return;
    }
    ArrayDeque<Pending> q = byMessageId.get(p.messageId);
    if (q != null) {
      q.remove(p);
      if (q.isEmpty()) {
        byMessageId.remove(p.messageId);
      }
    }
  }

  /** Whether the channel died of a channel-level error and must be replaced. */
  boolean isPermanentlyClosed() {
    return permanentlyClosed;
  }

  boolean isOpen() {
    return channel.isOpen();
  }

  void closeQuietly() {
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
      // closing on the way out: nothing left to do
    }
  }

  /** The confirm window stayed full until the deadline. */
  static final class WindowFullException extends Exception {
    WindowFullException() {
      super(null, null, false, false);
    }
  }
}
