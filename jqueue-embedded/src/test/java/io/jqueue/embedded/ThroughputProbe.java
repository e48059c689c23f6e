package io.jqueue.embedded;

import io.jqueue.Broker;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A small harness for the redesign's "no throughput regression" check: embedded, 1 publisher thread
 * -> 1 consumer, 100-byte payloads, publish -> handle -> ack; prints msg/s and the process's CPU
 * time per message. Not a benchmark suite (that is jqueue bench / JMH); run it the same way on two
 * builds, interleaved, and compare the warmed-up rounds.
 *
 * <p>Usage: java -cp ... io.jqueue.embedded.ThroughputProbe [messages] [rounds]
 */
public final class ThroughputProbe {
  private ThroughputProbe() {}

  /** CPU time of the whole process (all threads, GC included), less noisy than wall time. */
  private static long processCpuNanos() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("this platform does not report CPU time"))
        .toNanos();
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    byte[] payload = new byte[100];
    for (int r = 0; r < rounds; r++) {
      try (Broker broker = EmbeddedBroker.create()) {
        broker.declareQueue(QueueSpec.builder("probe").build());
        CountDownLatch done = new CountDownLatch(n);
        broker.subscribe("probe", d -> done.countDown());
        Publisher publisher = broker.publisher();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          publisher.publish(Message.builder().topic("probe").payload(payload).build());
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("not all handled: " + done.getCount() + " left");
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (processCpuNanos() - cpuStart) / 1e3 / n;
        System.out.printf("round %d: %.0f msg/s, %.2f CPU us/msg%n", r + 1, n / secs, cpuMicros);
      }
    }
  }
}
