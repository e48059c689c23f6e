package io.jqueue.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.jqueue.BrokerClosedException;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.codec.Codec;
import io.jqueue.internal.Saturating;
import io.jqueue.spi.InternalDelivery;
import io.jqueue.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * The pull API on RabbitMQ: {@code basic.get}, polled with a growing pause (10 to 100 ms) until a
 * message arrives or the wait ends. Each queue gets its own channel, so an error on one queue
 * (which closes its channel and returns its unacked messages) never touches another's pulled
 * deliveries. Pulled deliveries are leased like pushed ones and settled on their channel.
 */
final class PullReceiver implements AutoCloseable {
  private final Connection connection;
  private final Moves moves;
  private final TimeSource clock;
  private final ScheduledExecutorService timer;
  private final Executor work;
  private final Map<String, AckChannel> channels = new HashMap<>();

  PullReceiver(
      Connection connection,
      Moves moves,
      TimeSource clock,
      ScheduledExecutorService timer,
      Executor work) {
    this.connection = connection;
    this.moves = moves;
    this.clock = clock;
    this.timer = timer;
    this.work = work;
  }

  /**
   * Up to {@code max} deliveries, polling until {@code wait} passes: real time, not the clock, as
   * it bounds a blocking call (a manual clock must not make it return at once or never).
   */
  List<InternalDelivery> receive(
      QueueRuntime queue,
      int max,
      Duration wait,
      Codec codec,
      String consumerId,
      BooleanSupplier closed) {
    Instant deadline = Saturating.deadlineAfter(wait);
    List<RabbitDelivery> out = new ArrayList<>();
    long pause = 10;
    while (true) {
      try {
        for (String physical : queue.physicalQueues()) {
          while (out.size() < max) {
            RabbitDelivery d = get(queue, physical, codec, consumerId, closed);
            if (d == null) {
              break;
            }
            if (!d.expireIfDue()) {
              out.add(d);
            }
          }
        }
      } catch (RuntimeException e) {
        // the caller gets none of them: give back uncounted what was already taken
        out.forEach(RabbitDelivery::giveBack);
        throw e;
      }
      if (!out.isEmpty() || !Instant.now().isBefore(deadline)) {
        return handOut(out);
      }
      if (closed.getAsBoolean()) {
        throw new BrokerClosedException("the RabbitMQ broker closed while receive waited");
      }
      try {
        Thread.sleep(Math.min(pause, Math.max(1, Saturating.millisUntil(Instant.now(), deadline))));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return handOut(out);
      }
      pause = Math.min(pause * 2, 100);
    }
  }

  /** The caller has {@code got} from now: each lease runs a full visibility timeout from here. */
  private static List<InternalDelivery> handOut(List<RabbitDelivery> got) {
    got.forEach(RabbitDelivery::startLease);
    return new ArrayList<>(got);
  }

  private RabbitDelivery get(
      QueueRuntime queue, String physical, Codec codec, String consumerId, BooleanSupplier closed) {
    GetResponse r;
    AckChannel ch;
    try {
      ch = channelFor(physical);
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
    RabbitDelivery.Context ctx =
        new RabbitDelivery.Context(
            queue,
            ch,
            consumerId,
            codec,
            moves,
            clock,
            timer,
            work,
            RabbitSubscription.modeOf(queue),
            false,
            RabbitDelivery::giveBack);
    return new RabbitDelivery(
        ctx,
        r.getEnvelope().getDeliveryTag(),
        ch.epoch(),
        r.getProps(),
        r.getBody(),
        queue.nextAttempt(r.getProps()));
  }

  /**
   * The queue's channel: reopened when it died alone (a channel error); kept while its connection
   * recovers, which brings it back.
   */
  private synchronized AckChannel channelFor(String queue) throws IOException {
    AckChannel ch = channels.get(queue);
    if (ch == null || !ch.channel().isOpen() && ch.channel().getConnection().isOpen()) {
      if (ch != null) {
        ch.closeQuietly();
      }
      ch = new AckChannel(connection.createChannel());
      channels.put(queue, ch);
    }
    return ch;
  }

  @Override
  public synchronized void close() {
    channels.values().forEach(AckChannel::closeQuietly);
    channels.clear();
  }
}
