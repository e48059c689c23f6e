package io.jqueue.cli.bench;

import io.jqueue.ConsumerOptions;
import io.jqueue.QueueSpec;
import io.jqueue.embedded.EmbeddedBroker;
import java.util.List;

/**
 * {@code embedded-latency}: one publisher paced at 10 K and 100 K msg/s, one consumer; latency from
 * each message's intended send time to its handler, against the same pacing over a {@link
 * HandOffQueue}.
 */
final class EmbeddedLatency implements Scenario {
  private static final long[] RATES = {10_000, 100_000};
  private static final String BASELINE = "ArrayBlockingQueue hand-off, same pacing";

  @Override
  public String name() {
    return "embedded-latency";
  }

  @Override
  public String description() {
    return "paced publishing at 10K and 100K msg/s, latency from intended send to handler;"
        + " baseline: the same pacing over an ArrayBlockingQueue hand-off";
  }

  @Override
  public void run(BenchContext ctx, List<Result> rows) throws Exception {
    for (long rate : RATES) {
      rows.add(run(ctx, rate));
    }
  }

  private Result run(BenchContext ctx, long rate) throws Exception {
    BenchSettings s = ctx.settings();
    String variant = rate / 1000 + "K msg/s";
    String queue = Embedded.uniqueName("latency");
    Pacer mine = new Pacer(s.payload());
    Pacer theirs = new Pacer(s.payload());
    int consumers = s.concurrency();
    try (EmbeddedBroker broker = Embedded.open();
        BrokerQueue jqueue = new BrokerQueue(broker, queue);
        HandOffQueue baseline =
            new HandOffQueue(
                EmbeddedThroughput.CAPACITY,
                consumers,
                m -> theirs.handled(java.nio.ByteBuffer.wrap(m)))) {
      broker.declareQueue(QueueSpec.builder(queue).build());
      jqueue.subscribe(
          queue,
          ConsumerOptions.builder().concurrency(consumers).build(),
          d -> mine.handled(d.message().payloadView()));
      List<Sample> m =
          Interleaved.run(
              ctx,
              name() + " " + variant,
              List.of(
                  new Series("jqueue", d -> mine.round(rate, d, jqueue::send, jqueue::handled)),
                  new Series(
                      "baseline", d -> theirs.round(rate, d, baseline::send, baseline::handled))));
      return Result.compare(
          name(), variant, BASELINE, Metric.P99_LATENCY, m.get(0), m.get(1), s.rounds());
    }
  }
}
