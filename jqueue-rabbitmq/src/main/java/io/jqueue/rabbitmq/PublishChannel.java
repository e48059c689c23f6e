package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQContentHeader;
import io.jqueue.internal.Saturating;
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
 * <p>A message whose properties RabbitMQ cannot carry (a header block over the connection's frame
 * size, a short string over 255 bytes) is refused before the channel is touched. Should encoding
 * still fail after the channel took a sequence number for it, the channel is retired: the sequence
 * numbers of later confirms would no longer match their publishes, so it takes no more publishes
 * and closes once the confirms it still waits for are settled.
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
  private volatile boolean retired;
  private final int frameMax;

  /**
   * Puts {@code channel} in confirm mode; at most {@code maxOutstanding} publishes wait for their
   * confirm at once, and no publish's header frame may pass {@code frameMax} bytes (0: no limit).
   */
  PublishChannel(Channel channel, int maxOutstanding, int frameMax) throws IOException {
    this.channel = channel;
    this.frameMax = frameMax;
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
      throws InterruptedException, WindowFullException, UnencodableException {
    Map<String, Object> headers =
        props.getHeaders() == null ? new HashMap<>() : new HashMap<>(props.getHeaders());
    String publishId = "p" + PUBLISH_IDS.incrementAndGet();
    headers.put(WireFormat.PUBLISH_ID, publishId);
    AMQP.BasicProperties stamped = props.builder().headers(headers).build();
    requireEncodable(stamped, body.length);
    long waitNanos = Saturating.nanosUntil(Instant.now(), deadline); // real time: a wire wait
    if (!window.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
      throw new WindowFullException();
    }
    Pending p = new Pending(publishId);
    p.outcome.whenComplete((o, e) -> window.release());
    synchronized (writeLock) { // sequence number and write must not interleave with another's
      long seq = channel.isOpen() && !retired ? channel.getNextPublishSeqNo() : 0;
      if (seq == 0) { // closed, or recovered but not yet back in confirm mode
        p.outcome.complete(Outcome.CHANNEL_CLOSED);
        return null;
      }
      byPublishId.put(p.publishId, p);
      pending.put(seq, p);
      try {
        channel.basicPublish(exchange, routingKey, mandatory, stamped, body);
      } catch (IOException | RuntimeException e) {
        forget(seq, p);
        boolean channelDown = !channel.isOpen() || e instanceof ShutdownSignalException;
        // the channel counted a sequence number RabbitMQ never saw (or may have seen half a
        // frame): its later confirms would settle the wrong publishes, so it takes no more
        retired = true;
        p.outcome.complete(Outcome.CHANNEL_CLOSED);
        if (channelDown || e instanceof IOException) {
          return null; // the connection is failing: the caller tries again once it recovered
        }
        throw new UnencodableException(e.getMessage(), e);
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

  /**
   * Refuses properties RabbitMQ cannot carry: a short string over 255 bytes, or a header frame
   * larger than the connection's frame size. Nothing is sent and the channel is not touched.
   */
  private void requireEncodable(AMQP.BasicProperties props, int bodyLength)
      throws UnencodableException {
    int size;
    try {
      size = ((AMQContentHeader) props).toFrame(0, bodyLength).size();
    } catch (IOException | RuntimeException e) {
      throw new UnencodableException(e.getMessage(), e);
    }
    if (frameMax > 0 && size > frameMax) {
      throw new UnencodableException(
          "its properties and headers encode to "
              + size
              + " bytes, over the connection's frame size of "
              + frameMax
              + " bytes",
          size,
          frameMax);
    }
  }

  /** Whether the channel must not be used again: it died of a channel-level error, or retired. */
  boolean isPermanentlyClosed() {
    return permanentlyClosed || retired;
  }

  /**
   * Closes the channel once every publish it still waits for is settled (at once if none), but
   * after {@code grace} at the latest, then runs {@code closed}: a retired channel's earlier
   * confirms are still right and are not thrown away, and a confirm that never comes cannot keep it
   * open.
   */
  void closeWhenSettled(Duration grace, Runnable closed) {
    CompletableFuture<?>[] waiting =
        pending.values().stream().map(w -> w.outcome).toArray(CompletableFuture<?>[]::new);
    if (waiting.length == 0) {
      closeQuietly();
      closed.run();
      return;
    }
    // not on the connection's thread, which delivers the confirms this close waits for
    CompletableFuture.allOf(waiting)
        .completeOnTimeout(null, Saturating.toNanos(grace), TimeUnit.NANOSECONDS)
        .whenCompleteAsync(
            (v, e) -> {
              closeQuietly();
              closed.run();
            });
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

  /** RabbitMQ cannot carry the message as it is; nothing was sent. */
  static final class UnencodableException extends Exception {
    final long size;
    final long limit;

    UnencodableException(String reason, Throwable cause) {
      super(reason, cause, false, false);
      this.size = -1;
      this.limit = -1;
    }

    UnencodableException(String reason, long size, long limit) {
      super(reason, null, false, false);
      this.size = size;
      this.limit = limit;
    }

    /** Whether it failed on the frame size (rather than a field's own limit). */
    boolean tooLarge() {
      return size >= 0;
    }
  }

  /** The confirm window stayed full until the deadline. */
  static final class WindowFullException extends Exception {
    WindowFullException() {
      super(null, null, false, false);
    }
  }
}
