package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.DeadLetterReason;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.Message;
import io.jqueue.OverflowPolicy;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import io.jqueue.internal.DeadLetterHeaders;
import io.jqueue.internal.Saturating;
import io.jqueue.internal.SubscriptionFilter;
import io.jqueue.spi.TopicRuntime;
import io.jqueue.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Topics on RabbitMQ (docs/rabbitmq.md): a topic is a durable topic exchange named after it and a
 * message's action is the routing key; a subscription is its queue bound with its action patterns;
 * a filter runs in the subscriber (what it skips is acked and counted, a filter that throws
 * dead-letters the message); retention is a stream {@code <topic>:retained} bound with {@code #},
 * and replay reads it from a timestamp offset and republishes the matching messages into the
 * subscription's queue with confirms. Thread-safe.
 */
final class RabbitTopics implements TopicRuntime<QueueRuntime> {
  /** How long replay waits for the next stream message before deciding it read them all. */
  private static final Duration STREAM_IDLE = Duration.ofMillis(500);

  private final Admin admin;
  private final Connection consume;
  private final Sender sender;
  private final TimeSource clock;
  private final Map<String, TopicSpec> topics = new ConcurrentHashMap<>();
  private final Map<String, Binding> bindings = new ConcurrentHashMap<>();

  private record Binding(SubscriptionSpec spec, QueueRuntime queue, SubscriptionFilter filter) {}

  RabbitTopics(Admin admin, Connection consume, Sender sender, TimeSource clock) {
    this.admin = admin;
    this.consume = consume;
    this.sender = sender;
    this.clock = clock;
  }

  static String retentionStream(String topic) {
    return topic + ":retained";
  }

  boolean isTopic(String name) {
    return topics.containsKey(name);
  }

  @Override
  public void createTopic(TopicSpec spec) {
    String t = spec.name();
    admin.call("declare topic exchange", t, ch -> ch.exchangeDeclare(t, "topic", true));
    if (spec.retains()) {
      Map<String, Object> args = new HashMap<>();
      args.put("x-queue-type", "stream");
      args.put("x-max-age", Math.max(1, spec.retention().toSeconds()) + "s");
      if (spec.maxRetainedBytes() > 0) {
        args.put("x-max-length-bytes", spec.maxRetainedBytes());
      }
      admin.declare(retentionStream(t), args);
      admin.bind(retentionStream(t), t, "#");
    }
    topics.put(t, spec);
  }

  @Override
  public void deleteTopic(String topic) {
    TopicSpec spec = topics.remove(topic);
    if (spec != null && spec.retains()) {
      admin.delete(retentionStream(topic));
    }
    admin.call("delete topic exchange", topic, ch -> ch.exchangeDelete(topic));
  }

  @Override
  public void bind(SubscriptionSpec spec, QueueRuntime queue) {
    for (String pattern : spec.actions()) {
      admin.bind(spec.address(), spec.topic(), pattern);
    }
    bindings.put(spec.address(), new Binding(spec, queue, SubscriptionFilter.of(spec)));
  }

  @Override
  public void unbind(SubscriptionSpec spec) {
    bindings.remove(spec.address());
  }

  @Override
  public boolean retains(String topic) {
    TopicSpec spec = topics.get(topic);
    return spec != null && spec.retains();
  }

  /** {@code options} with the filter of subscription {@code queue}, if any, first of all. */
  io.jqueue.ConsumerOptions withFilter(String queue, io.jqueue.ConsumerOptions options) {
    ConsumeMiddleware filter = filterOf(queue);
    if (filter == null) {
      return options;
    }
    java.util.List<ConsumeMiddleware> all = new java.util.ArrayList<>(java.util.List.of(filter));
    all.addAll(options.middlewares());
    return options.toBuilder().middlewares(all.toArray(ConsumeMiddleware[]::new)).build();
  }

  /**
   * Pulls through the filter of subscription {@code queue}: what it skips is acked and counted, and
   * the wait goes on until something passes or {@code wait} is over.
   */
  java.util.List<io.jqueue.spi.InternalDelivery> filtered(
      String queue,
      Duration wait,
      java.util.function.Function<Duration, java.util.List<io.jqueue.spi.InternalDelivery>> pull) {
    ConsumeMiddleware filter = filterOf(queue);
    if (filter == null) {
      return pull.apply(wait);
    }
    io.jqueue.internal.ConsumePipeline filtering =
        new io.jqueue.internal.ConsumePipeline(java.util.List.of(filter), d -> {});
    Instant deadline = Saturating.deadlineAfter(wait);
    while (true) {
      java.util.List<io.jqueue.spi.InternalDelivery> got =
          pull.apply(Duration.ofMillis(Saturating.millisUntil(Instant.now(), deadline)));
      java.util.List<io.jqueue.spi.InternalDelivery> out = new java.util.ArrayList<>();
      got.forEach(d -> filtering.handOut(d).ifPresent(kept -> out.add(d)));
      if (!out.isEmpty() || got.isEmpty() || !Instant.now().isBefore(deadline)) {
        return out;
      }
    }
  }

  /** The filter of subscription {@code queue} as a consume middleware, or null without one. */
  ConsumeMiddleware filterOf(String queue) {
    Binding b = bindings.get(queue);
    if (b == null || (b.spec.filterExpression().isEmpty() && b.spec.filterPredicate().isEmpty())) {
      return null;
    }
    return ConsumeMiddleware.named(
        "subscription-filter",
        (d, chain) -> {
          switch (b.filter.test(d.message())) {
            case MATCH -> chain.proceed(d);
            case NO_MATCH -> b.queue.filtered.increment(); // not proceeding: acknowledged
            case ERROR ->
                d.deadLetter(
                    "the filter of subscription "
                        + b.spec.address()
                        + " threw: "
                        + b.filter.lastError());
          }
        });
  }

  @Override
  public void replay(SubscriptionSpec spec, QueueRuntime queue, Instant from) {
    TopicSpec topic = topics.get(spec.topic());
    Binding binding = bindings.get(spec.address());
    if (topic == null || binding == null) {
      throw new DestinationNotFoundException(spec.address());
    }
    Instant now = clock.now();
    Instant oldest = Saturating.plus(now, topic.retention().negated());
    Instant start = from.isBefore(oldest) ? oldest : from;
    Instant readUntil = Instant.now(); // the stream is real time: what arrives after is new
    BlockingQueue<Object[]> got = new LinkedBlockingQueue<>();
    Channel ch = null;
    try {
      ch = consume.createChannel();
      ch.basicQos(100);
      Channel channel = ch;
      String tag =
          ch.basicConsume(
              retentionStream(spec.topic()),
              false,
              Map.of("x-stream-offset", Date.from(start.minusSeconds(1))),
              new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(
                    String consumerTag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                  got.add(new Object[] {env.getDeliveryTag(), props, body});
                }
              });
      while (true) {
        Object[] next = got.poll(STREAM_IDLE.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
          break; // read everything retained
        }
        ch.basicAck((Long) next[0], false);
        AMQP.BasicProperties props = (AMQP.BasicProperties) next[1];
        Message m = WireFormat.toMessage(spec.topic(), props, (byte[]) next[2]);
        if (m.timestamp().isAfter(readUntil)) {
          break; // published after the seek began: the subscription gets it anyway
        }
        if (!m.timestamp().isBefore(start) && spec.matchesAction(m.action())) {
          redeliver(binding, m, props, (byte[]) next[2]);
        }
      }
      ch.basicCancel(tag);
    } catch (IOException e) {
      throw new io.jqueue.BrokerUnavailableException(
          "replay of " + spec.address() + " from " + from + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.jqueue.BrokerUnavailableException(
          "replay of " + spec.address() + " interrupted");
    } finally {
      RabbitConnections.closeQuietly(ch);
    }
  }

  private void redeliver(Binding b, Message m, AMQP.BasicProperties props, byte[] body) {
    Instant deadline = Saturating.deadlineAfter(Duration.ofSeconds(30));
    switch (b.filter.test(m)) {
      case MATCH ->
          sender.send(
              "",
              b.spec.address(),
              b.spec.address(),
              props,
              body,
              deadline,
              OverflowPolicy.REJECT,
              true);
      case NO_MATCH -> b.queue.filtered.increment();
      case ERROR -> {
        Message dead =
            DeadLetterHeaders.stamp(
                m,
                DeadLetterReason.REJECTED,
                null,
                "the filter of subscription "
                    + b.spec.address()
                    + " threw: "
                    + b.filter.lastError(),
                0,
                b.spec.address(),
                m.timestamp(),
                clock.now());
        String dlq = Topology.deadLetterQueue(b.spec.address());
        sender.send(
            "",
            dlq,
            dlq,
            WireFormat.properties(dead, 0, props.getAppId(), clock.now()),
            dead.payload(),
            deadline,
            OverflowPolicy.REJECT,
            true);
      }
    }
  }
}
