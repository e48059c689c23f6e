package io.jqueue.bench;

import static io.jqueue.middleware.Middlewares.correlationId;
import static io.jqueue.middleware.Middlewares.metrics;
import static io.jqueue.middleware.Middlewares.schemaVersion;
import static io.jqueue.middleware.Middlewares.validation;

import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.TopicSpec;
import io.jqueue.embedded.EmbeddedBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The publish chain (default headers, middlewares, limits, the broker's intake) on the embedded
 * broker, to a topic with no subscriptions and no retention, which takes a message and keeps
 * nothing: the chain's cost without a queue filling up. With 0 or 4 middlewares (validation,
 * correlation id, schema version, metrics in a {@link SimpleMeterRegistry}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PublishChainBenchmark {
  private static final String TOPIC = "bench-sink";

  @Param({"0", "4"})
  public int middlewares;

  private final byte[] payload = Payloads.of(100);
  private EmbeddedBroker broker;
  private Publisher publisher;

  @Setup
  public void open() {
    broker = Brokers.embedded();
    broker.declareTopic(TopicSpec.builder(TOPIC).build());
    PublisherOptions.Builder options = PublisherOptions.builder().id("bench");
    if (middlewares == 4) {
      options.middlewares(
          validation(), correlationId(), schemaVersion("2"), metrics(new SimpleMeterRegistry()));
    }
    publisher = broker.publisher(options.build());
  }

  @TearDown
  public void close() {
    publisher.close();
    broker.close();
  }

  @Benchmark
  public PublishReceipt publish() {
    return publisher.publish(
        Message.builder().topic(TOPIC).action("order.created").payload(payload).build());
  }
}
