package io.jqueue.cli.bench;

import io.jqueue.Broker;
import io.jqueue.ConsumerOptions;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * jqueue's side of a queue scenario: subscriptions on a queue (or topic subscriptions) of a broker
 * whose handlers count what they handled, and the broker's default publisher.
 */
final class BrokerQueue implements AutoCloseable {
  private final Broker broker;
  private final String topic;
  private final Publisher publisher;
  private final LongAdder handled = new LongAdder();
  private final List<Subscription> subscriptions = new ArrayList<>();

  /** Publishes to {@code topic} (a queue or a topic) with the broker's default publisher. */
  BrokerQueue(Broker broker, String topic) {
    this.broker = broker;
    this.topic = topic;
    this.publisher = broker.publisher();
  }

  /**
   * Subscribes to {@code address} with {@code options}; each delivery goes to {@code onHandle},
   * then counts as handled (and is acked when the handler returns).
   */
  BrokerQueue subscribe(String address, ConsumerOptions options, Consumer<Delivery> onHandle) {
    subscriptions.add(
        broker.subscribe(
            address,
            options,
            d -> {
              onHandle.accept(d);
              handled.increment();
            }));
    return this;
  }

  /** Publishes {@code payload} to the topic and waits for the broker to take it. */
  void send(byte[] payload) {
    publisher.publish(Message.builder().topic(topic).payload(payload).build());
  }

  long handled() {
    return handled.sum();
  }

  @Override
  public void close() {
    subscriptions.forEach(Subscription::close);
  }
}
