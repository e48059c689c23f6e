package io.jqueue.cli.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plain amqp-client baseline: persistent messages to a queue through the default exchange on
 * one confirming channel, either one at a time ({@code waitForConfirmsOrDie} after each) or with at
 * most {@code window} unconfirmed at once (a confirm listener frees the window).
 */
final class RawConfirms implements AutoCloseable {
  private static final AMQP.BasicProperties PERSISTENT =
      new AMQP.BasicProperties.Builder().deliveryMode(2).build();

  private final Channel channel;
  private final String queue;
  private final int window;
  private final Semaphore room;
  private final NavigableSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
  private final AtomicLong nacked = new AtomicLong();

  RawConfirms(Connection connection, String queue, int window) throws Exception {
    this.channel = connection.createChannel();
    this.queue = queue;
    this.window = window;
    this.room = new Semaphore(window);
    channel.confirmSelect();
    channel.addConfirmListener(
        (tag, multiple) -> confirmed(tag, multiple, true),
        (tag, multiple) -> confirmed(tag, multiple, false));
  }

  /** Publishes until {@code deadline} (nanoTime), waiting for each confirm; returns the count. */
  long publishSync(byte[] payload, long deadline) throws Exception {
    long n = 0;
    while (System.nanoTime() - deadline < 0) {
      channel.basicPublish("", queue, true, PERSISTENT, payload);
      channel.waitForConfirmsOrDie(10_000);
      n++;
    }
    return n;
  }

  /**
   * Publishes until {@code deadline} or {@code max} messages, whichever is first, keeping the
   * window full; returns once all are confirmed, with the count.
   */
  long publishWindowed(byte[] payload, long deadline, long max) throws Exception {
    long n = 0;
    while (n < max && System.nanoTime() - deadline < 0) {
      room.acquire();
      unconfirmed.add(channel.getNextPublishSeqNo());
      channel.basicPublish("", queue, true, PERSISTENT, payload);
      n++;
    }
    room.acquire(window);
    room.release(window);
    if (nacked.getAndSet(0) > 0) {
      throw new IllegalStateException("RabbitMQ refused (nacked) some baseline publishes");
    }
    return n;
  }

  private void confirmed(long tag, boolean multiple, boolean ack) {
    int count;
    if (multiple) {
      NavigableSet<Long> done = unconfirmed.headSet(tag, true);
      count = done.size();
      done.clear();
    } else {
      count = unconfirmed.remove(tag) ? 1 : 0;
    }
    if (!ack) {
      nacked.addAndGet(count);
    }
    room.release(count);
  }

  @Override
  public void close() throws Exception {
    if (channel.isOpen()) {
      channel.close();
    }
  }
}
