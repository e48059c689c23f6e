package io.jqueue.rabbitmq;

import com.rabbitmq.client.Connection;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.PublishTimeoutException;
import io.jqueue.internal.Saturating;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool of publishing channels: never more than {@code size} open at once. A publisher
 * holds a channel only while it writes a message (confirms are awaited after returning it), so a
 * few channels serve many concurrent publishers. A channel that died of a channel-level error is
 * closed and replaced; one that died with its connection is kept, as the connection recovers it.
 */
final class ChannelPool implements ChannelSource, AutoCloseable {
  /** Longest a retired channel stays open for confirms of publishes made before it retired. */
  private static final Duration RETIRE_GRACE = Duration.ofSeconds(30);

  private final Connection connection;
  private final int size;
  private final int maxOutstanding;
  private final BlockingQueue<PublishChannel> idle;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private volatile boolean closed;

  ChannelPool(Connection connection, int size, int maxOutstanding) {
    this.connection = connection;
    this.size = size;
    this.maxOutstanding = maxOutstanding;
    this.idle = new ArrayBlockingQueue<>(size);
  }

  /**
   * A channel for one publish; waits at most {@code timeout} of real time (a wait on the wire,
   * which no clock may stretch) for one to be free.
   */
  @Override
  public PublishChannel checkout(Duration timeout) throws InterruptedException {
    long deadline = Saturating.add(System.nanoTime(), Math.max(0, Saturating.toNanos(timeout)));
    while (true) {
      if (closed) {
        throw new BrokerUnavailableException("the RabbitMQ broker's publisher pool is closed");
      }
      PublishChannel ch = idle.poll();
      if (ch != null) {
        return ch;
      }
      if (reserveSlot()) {
        com.rabbitmq.client.Channel raw = null;
        try {
          raw = connection.createChannel();
          return new PublishChannel(raw, maxOutstanding, connection.getFrameMax());
        } catch (IOException | RuntimeException e) {
          if (raw != null) { // opened, but confirm mode failed: do not leak it
            try {
              raw.abort();
            } catch (IOException | RuntimeException ignored) {
              // already gone
            }
          }
          open.decrementAndGet();
          throw new BrokerUnavailableException("cannot open a publishing channel: " + e, e);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new PublishTimeoutException(
            "all "
                + size
                + " publishing channels stayed busy for "
                + timeout
                + "; raise channelPoolSize or publish less at once",
            timeout);
      }
      // wait in short slices: a slot freed by a discarded channel does not show up in idle
      ch = idle.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
      if (ch != null) {
        return ch;
      }
    }
  }

  /** Takes a place for a new channel if the pool is not full; the count never passes the size. */
  private boolean reserveSlot() {
    while (true) {
      int n = open.get();
      if (n >= size) {
        return false;
      }
      if (open.compareAndSet(n, n + 1)) {
        peak.accumulateAndGet(n + 1, Math::max);
        return true;
      }
    }
  }

  /**
   * Returns a channel after its publish; a dead or retired one is closed (once its pending confirms
   * are settled) and its place freed.
   */
  @Override
  public void release(PublishChannel ch) {
    if (closed || ch.isPermanentlyClosed() || !idle.offer(ch)) {
      // its place is free only once it is closed, so the pool never has more open
      ch.closeWhenSettled(RETIRE_GRACE, open::decrementAndGet);
    }
  }

  /** Channels open now (idle or in use). */
  int openChannels() {
    return open.get();
  }

  /** The most channels ever open at once. */
  int peakChannels() {
    return peak.get();
  }

  @Override
  public void close() {
    closed = true;
    PublishChannel ch;
    while ((ch = idle.poll()) != null) {
      ch.closeQuietly();
      open.decrementAndGet();
    }
  }
}
