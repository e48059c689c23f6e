package io.jqueue.cli.bench;

import io.jqueue.ConsumerOptions;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import io.jqueue.embedded.EmbeddedBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code topic-fanout}: one publisher to an embedded topic with {@value #SUBSCRIPTIONS}
 * subscriptions, copies delivered per second, against one thread feeding as many
 * ArrayBlockingQueues. Subscriptions are unbounded, so jqueue's publisher waits on a window of
 * {@link EmbeddedThroughput#CAPACITY} copies per subscription, the baseline queues' capacity.
 */
final class TopicFanout implements Scenario {
  static final int SUBSCRIPTIONS = 4;

  @Override
  public String name() {
    return "topic-fanout";
  }

  @Override
  public String description() {
    return "1 publisher -> embedded topic with 4 subscriptions, deliveries/s; baseline: one"
        + " thread feeding 4 ArrayBlockingQueues";
  }

  @Override
  public void run(BenchContext ctx, List<Result> rows) throws Exception {
    BenchSettings s = ctx.settings();
    byte[] payload = s.payload();
    String topic = Embedded.uniqueName("fanout");
    int window = EmbeddedThroughput.CAPACITY * SUBSCRIPTIONS;
    Semaphore room = new Semaphore(window);
    try (EmbeddedBroker broker = Embedded.open();
        BrokerQueue jqueue = new BrokerQueue(broker, topic);
        Baseline baseline = new Baseline()) {
      broker.declareTopic(TopicSpec.builder(topic).build());
      for (int i = 0; i < SUBSCRIPTIONS; i++) {
        SubscriptionSpec spec = SubscriptionSpec.builder(topic, "s" + i).build();
        broker.declareSubscription(spec);
        jqueue.subscribe(
            spec.address(),
            ConsumerOptions.builder().id("bench-" + i).concurrency(s.concurrency()).build(),
            d -> room.release());
      }
      Load mine =
          new ProducerLoad(
              new Producers(
                  1,
                  "jqueue",
                  () -> {
                    room.acquire(SUBSCRIPTIONS);
                    jqueue.send(payload);
                  }),
              jqueue::handled,
              SUBSCRIPTIONS);
      Load theirs =
          new ProducerLoad(
              new Producers(1, "baseline", () -> baseline.send(payload.clone())),
              baseline.handled::sum,
              SUBSCRIPTIONS);
      String variant = "1->" + SUBSCRIPTIONS + " subscriptions";
      List<Sample> m =
          Interleaved.run(
              ctx,
              name() + " " + variant,
              List.of(
                  new Series("jqueue", d -> Load.measure(mine, d)),
                  new Series("baseline", d -> Load.measure(theirs, d))));
      rows.add(
          Result.compare(
              name(),
              variant,
              SUBSCRIPTIONS + " ArrayBlockingQueues fed by one thread",
              Metric.THROUGHPUT,
              m.get(0),
              m.get(1),
              s.rounds()));
    }
  }

  /** One thread's sends copied into a queue per subscriber thread. */
  private static final class Baseline implements AutoCloseable {
    final LongAdder handled = new LongAdder();
    private final List<BlockingQueue<byte[]>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    Baseline() {
      for (int i = 0; i < SUBSCRIPTIONS; i++) {
        BlockingQueue<byte[]> q = new ArrayBlockingQueue<>(EmbeddedThroughput.CAPACITY);
        queues.add(q);
        Thread t = new Thread(() -> drain(q), "baseline-subscriber-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    void send(byte[] message) throws InterruptedException {
      for (BlockingQueue<byte[]> q : queues) {
        q.put(message);
      }
    }

    private void drain(BlockingQueue<byte[]> q) {
      try {
        while (true) {
          q.take();
          handled.increment();
        }
      } catch (InterruptedException e) {
        // closed
      }
    }

    @Override
    public void close() throws InterruptedException {
      for (Thread t : threads) {
        t.interrupt();
        t.join();
      }
    }
  }
}
