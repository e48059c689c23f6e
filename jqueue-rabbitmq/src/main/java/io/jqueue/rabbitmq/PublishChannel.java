package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publishing channel in confirm mode and the publishes it waits confirms for. A publish is
 * settled by the broker's ack (or, for a mandatory message RabbitMQ could not route, by its return
 * followed by the ack), its nack, or the channel's death, which fails every pending publish at
 * once: nobody waits for a confirm that can no longer come.
 *
 * <p>Each publish carries a unique header ({@code jqueue-publish-id}) so a return is matched to
 * exactly the publish it belongs to, even when two publishes share a message id. The listeners that
 * settle publishes take no lock a writer holds, so a stalled socket write cannot stop confirms from
 * being processed.
 */
final class PublishChannel {
  private static final Logger LOG = LoggerFactory.getLogger(PublishChannel.class);
  private static final AtomicLong PUBLISH_IDS = new AtomicLong();

  /** How one publish ended. */
  enum Outcome {
    ACKED,
    RETURNED,
    NACKED,
    CHANNEL_CLOSED
  }

  /** A publish waiting for its confirm. */
  static final class Pending {
    final String publishId;
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    volatile boolean returned;

    Pending(String publishId) {
      this.publishId = publishId;
    }
  }

  private final Channel channel;
  private final Semaphore window;
  private final NavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
  private final Map<String, Pending> byPublishId = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();
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
   * Publishes and returns the pending confirm; returns {@code null} when the channel is closed or
   * recovering (nothing was sent). Waits at most until {@code deadline} for room in the confirm
   * window.
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
    Pending p = new Pending("p" + PUBLISH_IDS.incrementAndGet());
    p.outcome.whenComplete((o, e) -> window.release());
    Map<String, Object> headers =
        props.getHeaders() == null ? new HashMap<>() : new HashMap<>(props.getHeaders());
    headers.put(WireFormat.PUBLISH_ID, p.publishId);
    AMQP.BasicProperties stamped = props.builder().headers(headers).build();
    synchronized (writeLock) { // sequence number and write must not interleave with another's
      long seq = channel.isOpen() ? channel.getNextPublishSeqNo() : 0;
      if (seq == 0) { // closed, or recovered but not yet back in confirm mode
        p.outcome.complete(Outcome.CHANNEL_CLOSED);
        return null;
      }
      byPublishId.put(p.publishId, p);
      pending.put(seq, p);
      try {
        channel.basicPublish(exchange, routingKey, mandatory, stamped, body);
      } catch (IOException | RuntimeException e) { // AlreadyClosedException is a RuntimeException
        forget(seq, p);
        p.outcome.complete(Outcome.CHANNEL_CLOSED);
        return null;
      }
      if (!channel.isOpen()) { // died while we wrote: its shutdown may have missed this entry
        forget(seq, p);
        p.outcome.complete(Outcome.CHANNEL_CLOSED);
        return null;
      }
    }
    return p;
  }

  private void settle(long tag, boolean multiple, Outcome outcome) {
    NavigableMap<Long, Pending> done =
        multiple ? pending.headMap(tag, true) : pending.subMap(tag, true, tag, true);
    for (Map.Entry<Long, Pending> e : done.entrySet()) {
      Pending p = e.getValue();
      if (pending.remove(e.getKey(), p)) {
        byPublishId.remove(p.publishId, p);
        p.outcome.complete(outcome == Outcome.ACKED && p.returned ? Outcome.RETURNED : outcome);
      }
    }
  }

  private void returned(Return r) {
    Map<String, Object> headers = r.getProperties().getHeaders();
    Object id = headers == null ? null : headers.get(WireFormat.PUBLISH_ID);
    Pending p = id == null ? null : byPublishId.get(id.toString());
    if (p != null) {
      p.returned = true; // the ack that follows settles it as RETURNED
    } else {
      LOG.warn(
          "RabbitMQ returned a message this channel no longer waits for ({} {}, routing key '{}')",
          r.getReplyCode(),
          r.getReplyText(),
          r.getRoutingKey());
    }
  }

  private void shutdown(ShutdownSignalException cause) {
    if (!cause.isHardError() && !cause.isInitiatedByApplication()) {
      permanentlyClosed = true; // a channel-level error: this channel will not recover
    }
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      if (pending.remove(e.getKey(), e.getValue())) {
        e.getValue().outcome.complete(Outcome.CHANNEL_CLOSED);
      }
    }
    byPublishId.clear();
  }

  private void forget(long seq, Pending p) {
    pending.remove(seq, p);
    byPublishId.remove(p.publishId, p);
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
