package io.jqueue.bench;

import io.jqueue.Message;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Building a message: a UUID v7 id, a timestamp, a payload copy, and the checks of the builder. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MessageBuildBenchmark {
  private final byte[] payload = Payloads.of(100);

  /** Topic and a 100-byte payload. */
  @Benchmark
  public Message plain() {
    return Message.builder().topic("orders").payload(payload).build();
  }

  /** Topic, action, key, 4 headers and a 100-byte payload. */
  @Benchmark
  public Message withHeaders() {
    return Message.builder()
        .topic("orders")
        .action("order.created")
        .key("customer-42")
        .header("tenant", "acme")
        .header("region", "eu-west-1")
        .header("schema", "3")
        .header("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736")
        .payload(payload)
        .build();
  }
}
