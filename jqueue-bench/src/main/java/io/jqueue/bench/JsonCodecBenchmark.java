package io.jqueue.bench;

import io.jqueue.codec.JsonCodec;
import java.util.List;
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

/** The core's JSON codec on a small order record: what {@code data(...)} costs either way. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JsonCodecBenchmark {
  /** A typical small event. */
  public record Order(String id, String customer, int amountCents, List<String> items) {}

  private final JsonCodec codec = JsonCodec.create();
  private final Order order =
      new Order("o-1042", "customer-42", 4200, List.of("sku-1", "sku-22", "sku-333"));
  private final byte[] json = codec.encode(order);

  @Benchmark
  public byte[] encode() {
    return codec.encode(order);
  }

  @Benchmark
  public Order decode() {
    return codec.decode(json, Order.class);
  }
}
