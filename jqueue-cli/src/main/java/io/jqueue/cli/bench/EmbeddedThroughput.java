package io.jqueue.cli.bench;

import io.jqueue.ConsumerOptions;
import io.jqueue.OverflowPolicy;
import io.jqueue.QueueSpec;
import io.jqueue.embedded.EmbeddedBroker;
import java.util.List;

/**
 * {@code embedded-throughput}: publish, handle, ack on the embedded broker with P publishers and C
 * consumers, against the same threads handing payloads over an {@link HandOffQueue}. Both sides
 * hold at most {@link #CAPACITY} messages, so producers wait for consumers the same way.
 */
final class EmbeddedThroughput implements Scenario {
  static final int CAPACITY = 10_000;
  private static final String BASELINE = "ArrayBlockingQueue + ConcurrentHashMap, same threads";

  @Override
  public String name() {
    return "embedded-throughput";
  }

  @Override
  public String description() {
    return "publish -> handle -> ack on the embedded broker, 1->1, 1->4, 4->4 (publishers->"
        + "consumers); baseline: an ArrayBlockingQueue hand-off plus a ConcurrentHashMap put/remove";
  }

  @Override
  public void run(BenchContext ctx, List<Result> rows) throws Exception {
    BenchSettings s = ctx.settings();
    List<int[]> variants =
        s.producers() != null || s.consumers() != null
            ? List.of(new int[] {orOne(s.producers()), orOne(s.consumers())})
            : List.of(new int[] {1, 1}, new int[] {1, 4}, new int[] {4, 4});
    for (int[] v : variants) {
      rows.add(run(ctx, v[0], v[1]));
    }
  }

  private static int orOne(Integer n) {
    return n != null ? n : 1;
  }

  private Result run(BenchContext ctx, int producers, int consumers) throws Exception {
    BenchSettings s = ctx.settings();
    String variant = producers + "->" + consumers;
    byte[] payload = s.payload();
    String queue = Embedded.uniqueName("throughput");
    int concurrency = s.concurrency();
    try (EmbeddedBroker broker = Embedded.open();
        BrokerQueue jqueue = new BrokerQueue(broker, queue);
        HandOffQueue baseline = new HandOffQueue(CAPACITY, consumers * concurrency, m -> {})) {
      broker.declareQueue(
          QueueSpec.builder(queue).maxSize(CAPACITY).overflow(OverflowPolicy.BLOCK).build());
      for (int i = 0; i < consumers; i++) {
        ConsumerOptions options =
            ConsumerOptions.builder().id("bench-" + i).concurrency(concurrency).build();
        jqueue.subscribe(queue, options, d -> {});
      }
      Load mine =
          new ProducerLoad(
              new Producers(producers, "jqueue", () -> jqueue.send(payload)), jqueue::handled, 1);
      Load theirs =
          new ProducerLoad(
              new Producers(producers, "baseline", () -> baseline.send(payload.clone())),
              baseline::handled,
              1);
      List<Sample> m =
          Interleaved.run(
              ctx,
              name() + " " + variant,
              List.of(
                  new Series("jqueue", d -> Load.measure(mine, d)),
                  new Series("baseline", d -> Load.measure(theirs, d))));
      return Result.compare(
          name(), variant, BASELINE, Metric.THROUGHPUT, m.get(0), m.get(1), s.rounds());
    }
  }
}
