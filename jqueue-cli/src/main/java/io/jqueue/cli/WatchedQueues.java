package io.jqueue.cli;

import io.jqueue.Broker;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What {@code jqueue dashboard} and {@code jqueue stats} look at: the demo pipeline's queues with
 * {@code --demo}, and each {@code --queue} (a broker lists the queues it declared, so on RabbitMQ
 * name your application's queues; they are declared with jqueue's defaults, and a queue declared
 * with other settings is refused with the difference).
 */
final class WatchedQueues {
  @Option(names = "--demo", description = "Run the order pipeline without end, so figures move.")
  boolean demo;

  @Option(
      names = "--queue",
      paramLabel = "NAME",
      description = "A queue to show (repeatable); declared with jqueue's defaults if missing.")
  List<String> queues = new ArrayList<>();

  boolean demo() {
    return demo;
  }

  /**
   * Declares the named queues on {@code broker}; the session removes the demo's queues at close.
   */
  Session open(Broker broker, BrokerChoice choice) {
    for (String q : queues) {
      broker.declareQueue(QueueSpec.builder(q).build());
    }
    return new Session(broker, choice.queuePrefix());
  }

  /** The queues of one run; on close, the demo's queues go (so RabbitMQ keeps nothing of it). */
  final class Session implements AutoCloseable {
    private final Broker broker;
    private final String prefix;

    private Session(Broker broker, String prefix) {
      this.broker = broker;
      this.prefix = prefix;
    }

    /** Starts the endless order pipeline through {@code publisher}. */
    LiveOrderFeed startDemo(Publisher publisher) {
      for (String stage : OrderPipelineDemo.STAGES) {
        broker.deleteQueue(prefix + stage); // a fresh start: nothing left from an earlier run
      }
      return LiveOrderFeed.start(broker, publisher, prefix, Duration.ofMillis(250));
    }

    @Override
    public void close() {
      if (demo) {
        for (String stage : OrderPipelineDemo.STAGES) {
          try {
            broker.deleteQueue(prefix + stage);
          } catch (RuntimeException e) {
            // the broker is gone: nothing to clean
          }
        }
      }
    }
  }
}
