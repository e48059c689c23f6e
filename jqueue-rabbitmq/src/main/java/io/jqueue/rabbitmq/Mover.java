package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.DeadLetterReason;
import io.jqueue.QueueFullException;
import io.jqueue.internal.Errors;
import io.jqueue.internal.HandlerWorkers;
import io.jqueue.internal.Saturating;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
 *       dropped and counted under the {@code DROP} policy. A message that reached {@code q:expired}
 *       for another reason (another AMQP client rejected it) is dead-lettered as {@code REJECTED}.
 * </ul>
 *
 * Messages wait safely in the holding queue while no jqueue process runs a mover. If RabbitMQ
 * cancels the mover (its queue was deleted), it declares the queue again and resumes.
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
  private final Admin admin;
  private final RabbitMqConfig config;
  private final ScheduledExecutorService timer;
  private final AckChannel channel;
  private final HandlerWorkers<Item> workers;
  private final String source;
  private volatile boolean closed;

  Mover(
      Connection connection,
      QueueRuntime queue,
      Kind kind,
      Moves moves,
      Admin admin,
      RabbitMqConfig config,
      Executor executor,
      ScheduledExecutorService timer) {
    this.queue = queue;
    this.kind = kind;
    this.moves = moves;
    this.admin = admin;
    this.config = config;
    this.timer = timer;
    this.workers = new HandlerWorkers<>(4, executor, this::move, this::putBack);
    this.source =
        kind == Kind.RETRY ? Topology.retryQueue(queue.name) : Topology.expiredQueue(queue.name);
    try {
      this.channel = new AckChannel(connection.createChannel());
    } catch (IOException | RuntimeException e) {
      throw new BrokerUnavailableException("cannot start the mover of '" + source + "': " + e, e);
    }
    try {
      channel.channel().basicQos(PREFETCH);
      consume();
    } catch (IOException | RuntimeException e) {
      channel.closeQuietly();
      throw new BrokerUnavailableException("cannot start the mover of '" + source + "': " + e, e);
    }
  }

  private void consume() throws IOException {
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

              @Override
              public void handleCancel(String tag) {
                if (!closed) {
                  LOG.warn("'{}' was deleted under its mover; declaring it again", source);
                  later(Mover.this::resume, 1_000);
                }
              }
            });
  }

  private void resume() {
    if (closed) {
      return;
    }
    try {
      admin.declare(source, Topology.plainArguments(config));
      consume();
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not resume the mover of '{}' ({}); trying again", source, e.toString());
      later(this::resume, 5_000);
    }
  }

  private void move(Item item) {
    try {
      Instant deadline = moves.deadline();
      if (kind == Kind.RETRY) {
        moves.toQueue(queue, item.props, item.body, deadline);
      } else {
        expire(item, deadline);
      }
      channel.ack(item.tag, item.epoch);
    } catch (QueueFullException e) {
      later(() -> putBack(item), 500); // the queue is full: the retry waits here, safely
    } catch (RuntimeException e) {
      LOG.warn(
          "could not move a message of '{}' ({}); trying again in 1s",
          queue.name,
          Errors.describe(e));
      later(() -> putBack(item), 1_000);
    }
  }

  private void expire(Item item, Instant deadline) {
    String reason = lastDeathReason(item.props);
    if (!"expired".equals(reason)) {
      moves.deadLetter(
          queue,
          item.props,
          item.body,
          DeadLetterReason.REJECTED,
          null,
          "dead-lettered by RabbitMQ (" + reason + "), not by jqueue",
          WireFormat.attempts(item.props),
          deadline);
      queue.deadLettered.increment();
      return;
    }
    String why = "its TTL ran out before delivery";
    moves.expire(queue, item.props, item.body, WireFormat.attempts(item.props), why, deadline);
  }

  /** Why RabbitMQ dead-lettered the message last ({@code x-death}, most recent first). */
  private static String lastDeathReason(AMQP.BasicProperties props) {
    Object deaths = props.getHeaders() == null ? null : props.getHeaders().get("x-death");
    if (deaths instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> m) {
      Object reason = m.get("reason");
      if (reason != null) {
        return reason.toString();
      }
    }
    return "expired"; // no record: the queue's TTL is the only thing that sends messages here
  }

  /**
   * Runs {@code task} after {@code millis} of real time, not the broker's clock: it paces waits on
   * RabbitMQ (a full queue, a failed move, a deleted holding queue), which no clock may hold up.
   */
  private void later(Runnable task, long millis) {
    try {
      timer.schedule(task, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: the channel's close returns the message to its holding queue
    }
  }

  private void putBack(Item item) {
    channel.nack(item.tag, item.epoch, true);
  }

  /** Stops taking messages; waits for moves under way until {@code deadline}. */
  void close(Instant deadline) {
    closed = true;
    workers.close().forEach(this::putBack);
    workers.awaitIdle(deadline);
    channel.closeQuietly();
  }

  @Override
  public void close() {
    close(Saturating.deadlineAfter(Duration.ofSeconds(5))); // real time: it bounds moves under way
  }
}
