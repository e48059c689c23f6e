package io.jqueue.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.jqueue.BrokerClosedException;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.Delivery;
import io.jqueue.codec.Codec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * The pull API on RabbitMQ: {@code basic.get} on one channel, polled with a growing pause (10 to
 * 100 ms) until a message arrives or the wait ends. Pulled deliveries are leased like pushed ones
 * and settled on the same channel.
 */
final class PullReceiver implements AutoCloseable {
  private final Connection connection;
  private final Moves moves;
  private final ScheduledExecutorService timer;
  private AckChannel channel;

  PullReceiver(Connection connection, Moves moves, ScheduledExecutorService timer) {
    this.connection = connection;
    this.moves = moves;
    this.timer = timer;
  }

  List<Delivery> receive(QueueRuntime queue, int max, Duration wait, BooleanSupplier closed) {
    RabbitDelivery.Redelivery redelivery =
        RabbitSubscription.redeliveryFor(queue, moves, timer, null);
    Instant deadline = Instant.now().plus(wait);
    List<Delivery> out = new ArrayList<>();
    long pause = 10;
    while (true) {
      for (String physical : queue.physicalQueues()) {
        while (out.size() < max) {
          RabbitDelivery d = get(queue, physical, redelivery, closed);
          if (d == null) {
            break;
          }
          out.add(d);
        }
      }
      if (!out.isEmpty() || !Instant.now().isBefore(deadline)) {
        return out;
      }
      if (closed.getAsBoolean()) {
        throw new BrokerClosedException("the RabbitMQ broker closed while receive waited");
      }
      try {
        Thread.sleep(
            Math.min(pause, Math.max(1, Duration.between(Instant.now(), deadline).toMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return out;
      }
      pause = Math.min(pause * 2, 100);
    }
  }

  private RabbitDelivery get(
      QueueRuntime queue,
      String physical,
      RabbitDelivery.Redelivery redelivery,
      BooleanSupplier closed) {
    GetResponse r;
    AckChannel ch;
    try {
      ch = channel();
      r = ch.channel().basicGet(physical, false);
    } catch (IOException | RuntimeException e) {
      if (closed.getAsBoolean()) {
        throw new BrokerClosedException("the RabbitMQ broker closed while receive waited");
      }
      throw new BrokerUnavailableException("basic.get from '" + physical + "' failed: " + e, e);
    }
    if (r == null) {
      return null;
    }
    return new RabbitDelivery(
        queue,
        ch,
        r.getEnvelope().getDeliveryTag(),
        ch.epoch(),
        r.getProps(),
        r.getBody(),
        WireFormat.attempts(r.getProps()) + 1,
        "pull",
        Codec.json(),
        moves,
        redelivery,
        timer,
        false);
  }

  private synchronized AckChannel channel() {
    if (channel == null || !channel.channel().isOpen() && !recovering(channel)) {
      try {
        channel = new AckChannel(connection.createChannel());
      } catch (IOException e) {
        throw new BrokerUnavailableException("cannot open a channel for receive: " + e, e);
      }
    }
    return channel;
  }

  /** A channel closed with its connection is recovered by the client; one closed alone is not. */
  private static boolean recovering(AckChannel ch) {
    return ch.channel().getConnection().isOpen() == false;
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      channel.closeQuietly();
    }
  }
}
