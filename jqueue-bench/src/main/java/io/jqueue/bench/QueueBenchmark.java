package io.jqueue.bench;

import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.embedded.EmbeddedBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One message through an embedded queue on one thread, with the pull API: publish, receive (which
 * takes a lease of the queue's visibility timeout), then settle it: ack at once, or extend the
 * lease first (the lease bookkeeping a long handler causes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueueBenchmark {
  private static final String QUEUE = "bench";

  private final byte[] payload = Payloads.of(100);
  private EmbeddedBroker broker;
  private Publisher publisher;

  @Setup
  public void open() {
    broker = Brokers.embedded();
    broker.declareQueue(QueueSpec.builder(QUEUE).visibilityTimeout(Duration.ofSeconds(30)).build());
    publisher = broker.publisher();
  }

  @TearDown
  public void close() {
    broker.close();
  }

  /** Publish, receive, ack. */
  @Benchmark
  public Delivery enqueueDequeueAck() {
    Delivery d = publishAndReceive();
    d.ack();
    return d;
  }

  /** Publish, receive, extend the lease by 30 s, ack. */
  @Benchmark
  public Delivery enqueueDequeueExtendAck() {
    Delivery d = publishAndReceive();
    d.extendLease(Duration.ofSeconds(30));
    d.ack();
    return d;
  }

  private Delivery publishAndReceive() {
    publisher.publish(Message.builder().topic(QUEUE).payload(payload).build());
    List<Delivery> got = broker.receive(QUEUE, 1, Duration.ZERO);
    if (got.size() != 1) {
      throw new IllegalStateException("received " + got.size() + " messages, expected 1");
    }
    return got.get(0);
  }
}
