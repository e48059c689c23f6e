package io.jqueue.cli.bench;

import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.embedded.EmbeddedBroker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayDeque;
import java.util.List;

/**
 * {@code embedded-memory}: heap per queued message beyond its payload, with {@value #MESSAGES}
 * messages waiting in a queue without consumers, against an {@link ArrayDeque} of the same
 * payloads. Heap is read after full collections, so it counts what is reachable.
 */
final class EmbeddedMemory implements Scenario {
  static final int MESSAGES = 100_000;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  @Override
  public String name() {
    return "embedded-memory";
  }

  @Override
  public String description() {
    return MESSAGES
        + " messages queued without a consumer: heap bytes per message beyond the payload;"
        + " baseline: an ArrayDeque<byte[]> of the same payloads";
  }

  @Override
  public void run(BenchContext ctx, List<Result> rows) throws Exception {
    BenchSettings s = ctx.settings();
    byte[] payload = s.payload();
    try (EmbeddedBroker broker = Embedded.open()) {
      Publisher publisher = broker.publisher();
      Series mine =
          new Series(
              "jqueue",
              d -> {
                String queue = Embedded.uniqueName("memory");
                broker.declareQueue(QueueSpec.builder(queue).build());
                try {
                  long before = usedHeap();
                  for (int i = 0; i < MESSAGES; i++) {
                    publisher.publish(Message.builder().topic(queue).payload(payload).build());
                  }
                  return perMessage(before, usedHeap(), payload.length);
                } finally {
                  broker.deleteQueue(queue);
                }
              });
      Series theirs =
          new Series(
              "baseline",
              d -> {
                long before = usedHeap();
                ArrayDeque<byte[]> queue = new ArrayDeque<>();
                for (int i = 0; i < MESSAGES; i++) {
                  queue.add(payload.clone());
                }
                long after = usedHeap();
                Reference.reachabilityFence(queue);
                return perMessage(before, after, payload.length);
              });
      List<Sample> m =
          Interleaved.run(ctx, name() + " " + MESSAGES / 1000 + "K queued", List.of(mine, theirs));
      rows.add(
          Result.compare(
              name(),
              MESSAGES / 1000 + "K queued",
              "ArrayDeque<byte[]> of the payloads",
              Metric.BYTES_PER_MESSAGE,
              m.get(0),
              m.get(1),
              s.rounds()));
    }
  }

  private static Sample perMessage(long before, long after, int payloadBytes) {
    return Sample.bytes((double) (after - before) / MESSAGES - payloadBytes);
  }

  /** Heap in use after full collections (a few, as one may leave what a finalizer frees). */
  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
