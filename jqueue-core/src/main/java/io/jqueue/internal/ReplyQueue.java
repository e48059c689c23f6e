package io.jqueue.internal;

import io.jqueue.Broker;
import io.jqueue.BrokerClosedException;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.QueueSpec;
import io.jqueue.RequesterOptions;
import io.jqueue.Subscription;
import io.jqueue.spi.RequestTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A requester's replies through a queue of its own, {@code jqueue.replies.<requester id>}: declared
 * when the requester opens, consumed like any queue (so a reply is a real publish and a real
 * delivery), deleted when it closes. Requests go out through the broker's own send.
 */
public final class ReplyQueue implements RequestTransport {
  /** Prefix of every reply queue's name. */
  public static final String PREFIX = "jqueue.replies.";

  private final Broker broker;
  private final String name;
  private final MessageSink send;
  private final Subscription consumer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ReplyQueue(Broker broker, String name, MessageSink send, Subscription consumer) {
    this.broker = broker;
    this.name = name;
    this.send = send;
    this.consumer = consumer;
  }

  /**
   * Declares the reply queue of the requester with {@code options} on {@code broker} and consumes
   * it, handing each reply to {@code replies}; requests go to {@code send}.
   */
  public static ReplyQueue open(
      Broker broker, RequesterOptions options, MessageSink send, Consumer<Message> replies) {
    String name = PREFIX + options.id();
    broker.declareQueue(QueueSpec.builder(name).build());
    try {
      Subscription consumer =
          broker.subscribe(
              name,
              ConsumerOptions.builder().id(options.id()).concurrency(2).build(),
              d -> replies.accept(d.message()));
      return new ReplyQueue(broker, name, send, consumer);
    } catch (RuntimeException e) {
      deleteQuietly(broker, name);
      throw e;
    }
  }

  @Override
  public String replyTo() {
    return name;
  }

  @Override
  public PublishReceipt send(Message request, Instant deadline) {
    return send.send(request, deadline);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      consumer.close(Duration.ofSeconds(1)); // its handler only hands a reply on: never slow
    } finally {
      deleteQuietly(broker, name);
    }
  }

  private static void deleteQuietly(Broker broker, String name) {
    try {
      broker.deleteQueue(name);
    } catch (BrokerClosedException e) {
      // the broker is closing: its queues go with it
    }
  }
}
