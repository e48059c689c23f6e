package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.DeadLetterReason;
import io.jqueue.ExpiryPolicy;
import io.jqueue.QueueFullException;
import io.jqueue.internal.HandlerWorkers;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves messages RabbitMQ dead-lettered into one of jqueue's holding queues onward with a confirmed
 * publish, acking only once the move is confirmed:
 *
 * <ul>
 *   <li>retries that are due ({@code q:retry}) back into {@code q}, waiting while {@code q} is full
 *       instead of letting RabbitMQ drop them there;
 *   <li>expired messages ({@code q:expired}) into {@code q.dlq} with reason {@code EXPIRED}, or
 *       dropped and counted under the {@code DROP} policy.
 * </ul>
 *
 * Messages wait safely in the holding queue while no jqueue process runs a mover.
 */
final class Mover implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Mover.class);
  private static final int PREFETCH = 32;

  enum Kind {
    RETRY,
    EXPIRY
  }

  private record Item(long tag, int epoch, AMQP.BasicProperties props, byte[] body) {}

  private final QueueRuntime queue;
  private final Kind kind;
  private final Moves moves;
  private final ScheduledExecutorService timer;
  private final AckChannel channel;
  private final HandlerWorkers<Item> workers;

  Mover(
      Connection connection,
      QueueRuntime queue,
      Kind kind,
      Moves moves,
      Executor executor,
      ScheduledExecutorService timer) {
    this.queue = queue;
    this.kind = kind;
    this.moves = moves;
    this.timer = timer;
    this.workers = new HandlerWorkers<>(4, executor, this::move, this::putBack);
    String source =
        kind == Kind.RETRY ? Topology.retryQueue(queue.name) : Topology.expiredQueue(queue.name);
    try {
      this.channel = new AckChannel(connection.createChannel());
      channel.channel().basicQos(PREFETCH);
      channel
          .channel()
          .basicConsume(
              source,
              false,
              new DefaultConsumer(channel.channel()) {
                @Override
                public void handleDelivery(
                    String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                  Item item = new Item(env.getDeliveryTag(), channel.epoch(), props, body);
                  if (!workers.offer(item)) {
                    putBack(item);
                  }
                }
              });
    } catch (IOException | RuntimeException e) {
      throw new BrokerUnavailableException("cannot start the mover of '" + source + "': " + e, e);
    }
  }

  private void move(Item item) {
    try {
      if (kind == Kind.RETRY) {
        moves.toQueue(queue, item.props, item.body);
      } else {
        expire(item);
      }
      channel.ack(item.tag, item.epoch);
    } catch (QueueFullException e) {
      later(item, 500); // the queue is full: the retry waits here, safely
    } catch (RuntimeException e) {
      LOG.warn(
          "could not move a message of '{}' ({}); trying again in 1s", queue.name, e.toString());
      later(item, 1000);
    }
  }

  private void expire(Item item) {
    queue.expired.increment(); // counted before the move so stats never lag the DLQ
    if (queue.spec.expiryPolicy() == ExpiryPolicy.DROP) {
      queue.dropped.increment();
      LOG.debug(
          "message {} of '{}' expired and was dropped", item.props.getMessageId(), queue.name);
      return;
    }
    try {
      moves.deadLetter(
          queue,
          item.props,
          item.body,
          DeadLetterReason.EXPIRED,
          null,
          "its TTL ran out before delivery",
          WireFormat.attempts(item.props));
      queue.deadLettered.increment();
    } catch (RuntimeException e) {
      queue.expired.decrement();
      throw e;
    }
  }

  private void later(Item item, long millis) {
    timer.schedule(() -> putBack(item), millis, TimeUnit.MILLISECONDS);
  }

  private void putBack(Item item) {
    channel.nack(item.tag, item.epoch, true);
  }

  @Override
  public void close() {
    workers.close().forEach(this::putBack);
    workers.awaitIdle(Instant.now().plusSeconds(5));
    channel.closeQuietly();
  }
}
