package io.jqueue.rabbitmq;

import com.rabbitmq.client.Connection;
import io.jqueue.BrokerClosedException;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.PublishTimeoutException;
import io.jqueue.internal.Saturating;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded pool of publishing channels: never more than {@code size} open at once. A publisher
 * holds a channel only while it writes a message (confirms are awaited after returning it), so a
 * few channels serve many concurrent publishers. A channel that died of a channel-level error is
 * closed and replaced; one that died with its connection is kept, as the connection recovers it. A
 * thread that writes without awaiting each confirm keeps to one channel ({@link #checkoutInOrder}),
 * since RabbitMQ keeps the order of one channel's messages only.
 */
final class ChannelPool implements ChannelSource, AutoCloseable {
  /** Longest a retired channel stays open for confirms of publishes made before it retired. */
  private static final Duration RETIRE_GRACE = Duration.ofSeconds(30);

  /** Longest single wait: a slot freed by a discarded channel signals nobody. */
  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Connection connection;
  private final int size;
  private final int maxOutstanding;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private final ArrayDeque<PublishChannel> idle = new ArrayDeque<>(); // guarded by lock
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  // weak: a thread that outlives the pool must not keep its channel (and connection) reachable
  private final ThreadLocal<WeakReference<PublishChannel>> lastInOrder = new ThreadLocal<>();
  private volatile boolean closed;

  ChannelPool(Connection connection, int size, int maxOutstanding) {
    this.connection = connection;
    this.size = size;
    this.maxOutstanding = maxOutstanding;
  }

  /**
   * A channel for one publish; waits at most {@code timeout} of real time (a wait on the wire,
   * which no clock may stretch) for one to be free.
   *
   * @throws BrokerClosedException once the pool is closed
   */
  @Override
  public PublishChannel checkout(Duration timeout) throws InterruptedException {
    return take(timeout, null);
  }

  @Override
  public PublishChannel checkoutInOrder(Duration timeout) throws InterruptedException {
    WeakReference<PublishChannel> ref = lastInOrder.get();
    PublishChannel last = ref == null ? null : ref.get();
    PublishChannel ch = take(timeout, last);
    if (ch != last) {
      lastInOrder.set(new WeakReference<>(ch));
    }
    return ch;
  }

  /** A free channel, {@code wanted} if it is still usable (waiting for it while it is busy). */
  private PublishChannel take(Duration timeout, PublishChannel wanted) throws InterruptedException {
    long deadline = Saturating.add(System.nanoTime(), Math.max(0, Saturating.toNanos(timeout)));
    while (true) {
      lock.lock();
      try {
        if (closed) {
          throw new BrokerClosedException("the RabbitMQ broker's publishing channels are closed");
        }
        if (wanted != null && wanted.isPermanentlyClosed()) {
          wanted = null; // it will never be free again: any channel will do
        }
        if (wanted != null) {
          if (idle.remove(wanted)) {
            return wanted;
          }
        } else if (!idle.isEmpty()) {
          return idle.pollFirst();
        } else if (reserveSlot()) {
          break; // opened below, outside the lock: it takes a round trip
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new PublishTimeoutException(
              (wanted != null
                      ? "the publishing channel this thread writes its messages in order on"
                      : "all " + size + " publishing channels")
                  + " stayed busy for "
                  + timeout
                  + "; raise channelPoolSize or publish less at once",
              timeout);
        }
        released.awaitNanos(Math.min(left, WAIT_SLICE_NANOS));
      } finally {
        lock.unlock();
      }
    }
    return openChannel();
  }

  private PublishChannel openChannel() {
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
    lock.lock();
    try {
      if (!closed && !ch.isPermanentlyClosed()) {
        idle.addFirst(ch); // the most recently used first: it is warm, and the others may idle
        released.signalAll();
        return;
      }
    } finally {
      lock.unlock();
    }
    // its place is free only once it is closed, so the pool never has more open
    ch.closeWhenSettled(RETIRE_GRACE, open::decrementAndGet);
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
    lock.lock();
    try {
      closed = true;
      PublishChannel ch;
      while ((ch = idle.poll()) != null) {
        ch.closeQuietly();
        open.decrementAndGet();
      }
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
