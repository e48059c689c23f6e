package io.jqueue.cli;

import io.jqueue.Broker;
import io.jqueue.BrokerClosedException;
import io.jqueue.JQueueException;
import io.jqueue.Publisher;
import io.jqueue.Subscription;
import io.jqueue.internal.NamedThreadFactory;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The order pipeline running without end, for {@code --demo} of {@code jqueue dashboard} and {@code
 * jqueue stats}: an order every interval, payments that time out and retry, every 7th card declined
 * and dead-lettered, so that depths, rates and the dead-letter queues move.
 */
final class LiveOrderFeed implements AutoCloseable {
  private static final int FORGET_EVERY = 1_000;

  /** Every this many orders comes a burst, so that queues fill and drain on the charts. */
  private static final int BURST_EVERY = 40;

  private static final int BURST_SIZE = 30;

  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final List<Subscription> subscriptions;
  private final Thread producer;
  private final AtomicLong published = new AtomicLong();

  private LiveOrderFeed(OrderPipelineDemo demo, Publisher publisher, Duration interval) {
    demo.declareQueues();
    this.subscriptions = demo.subscribe(publisher);
    this.producer =
        new NamedThreadFactory("jqueue-demo-orders")
            .newThread(
                () -> {
                  try {
                    for (long tick = 1; !Thread.currentThread().isInterrupted(); tick++) {
                      int orders = tick % BURST_EVERY == 0 ? BURST_SIZE : 1;
                      try {
                        for (int i = 0; i < orders; i++) {
                          long n = published.incrementAndGet();
                          demo.publishOrder(publisher, n);
                          if (n % FORGET_EVERY == 0) {
                            demo.forgetNotified();
                          }
                        }
                      } catch (BrokerClosedException e) {
                        return; // the command is ending
                      } catch (JQueueException e) {
                        // a full queue or a broker recovering: the pipeline resumes when it can
                        Thread.sleep(RETRY_AFTER.toMillis());
                      }
                      Thread.sleep(interval.toMillis());
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    producer.start();
  }

  /**
   * Starts the pipeline on {@code broker} (queue names get {@code prefix}) through {@code
   * publisher}.
   */
  static LiveOrderFeed start(Broker broker, Publisher publisher, String prefix, Duration interval) {
    OrderPipelineDemo.Settings settings =
        new OrderPipelineDemo.Settings(
            prefix,
            Integer.MAX_VALUE,
            0.2,
            7,
            ThreadLocalRandom.current().nextLong(1_000_000),
            true,
            interval,
            Duration.ofDays(365));
    return new LiveOrderFeed(
        new OrderPipelineDemo(broker, settings, new PrintWriter(Writer.nullWriter())),
        publisher,
        interval);
  }

  /** Orders published so far. */
  long published() {
    return published.get();
  }

  @Override
  public void close() {
    producer.interrupt();
    try {
      producer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    subscriptions.forEach(s -> s.close(Duration.ofSeconds(5)));
  }
}
