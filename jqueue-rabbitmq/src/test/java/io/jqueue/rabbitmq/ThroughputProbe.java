package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.jqueue.BatchResult;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small harness for issue 10's RabbitMQ figures, not a benchmark suite (that is {@code jqueue
 * bench}): persistent 100-byte messages, jqueue against a plain amqp-client doing the same work in
 * the same JVM, interleaved (each round starts with another case; round 0 is a warm-up), each case
 * on a fresh queue. Publishing: {@code publishAll} and {@code publishAsync} with default options
 * against one raw channel with asynchronous confirms and a window of 256. Draining a filled queue:
 * a subscription with default options (and with prefetch 250) against raw {@code basicConsume} with
 * prefetch 250 and an ack per message.
 *
 * <p>jqueue publishes both with its defaults and with {@code maxOutstandingConfirms(256)}, the raw
 * client's window. With a fourth argument {@code prefetch=1,10,100} it drains with those prefetches
 * instead of the usual cases.
 *
 * <p>Usage: java -cp ... io.jqueue.rabbitmq.ThroughputProbe [messages] [rounds] [uri] [prefetch=..]
 */
public final class ThroughputProbe {
  private static final byte[] PAYLOAD = new byte[100];
  private static final int RAW_WINDOW = 256;
  private static final int RAW_PREFETCH = 250;

  private ThroughputProbe() {}

  /** One measured case: does its work on queue {@code q}; what it leaves open closes untimed. */
  private interface Case {
    void run(String q) throws Exception;
  }

  /** Consumers the drains leave open, closed after their case is timed. */
  private static final List<AutoCloseable> UNTIMED = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String uri = args.length > 2 ? args[2] : "amqp://guest:guest@127.0.0.1:5672";
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(uri);
    RabbitMqConfig.Builder config =
        RabbitMqConfig.builder()
            .uri(uri)
            .connectionName("jqueue-probe")
            .statsReportInterval(Duration.ZERO);
    try (Connection raw = factory.newConnection("jqueue-probe-raw");
        RabbitMqBroker broker = RabbitMqBroker.connect(config.build());
        RabbitMqBroker w256 =
            RabbitMqBroker.connect(config.maxOutstandingConfirms(RAW_WINDOW).build())) {
      Publisher publisher = broker.publisher();
      Publisher windowed = w256.publisher();
      List<String> names =
          List.of(
              "raw async confirms w256",
              "publishAll w256",
              "publishAsync w256",
              "publishAll defaults",
              "publishAsync defaults");
      List<Case> publishes =
          List.of(
              q -> rawPublish(raw, q, n),
              q -> publishAll(windowed, q, n),
              q -> publishAsync(windowed, q, n),
              q -> publishAll(publisher, q, n),
              q -> publishAsync(publisher, q, n));
      List<String> drainNames = new ArrayList<>();
      List<Case> drains = new ArrayList<>();
      if (args.length > 3 && args[3].startsWith("prefetch=")) {
        names = List.of();
        publishes = List.of();
        for (String v : args[3].substring("prefetch=".length()).split(",")) {
          int prefetch = Integer.parseInt(v);
          drainNames.add("drain prefetch " + prefetch);
          drains.add(
              q -> drain(broker, q, n, ConsumerOptions.builder().prefetch(prefetch).build()));
        }
      } else {
        drainNames.addAll(
            List.of("raw drain prefetch 250", "drain defaults", "drain prefetch 250"));
        drains.add(q -> rawDrain(raw, q, n));
        drains.add(q -> drain(broker, q, n, ConsumerOptions.defaults()));
        drains.add(
            q -> drain(broker, q, n, ConsumerOptions.builder().prefetch(RAW_PREFETCH).build()));
      }
      // round 0 warms the JIT up; each round starts with another case, so none always goes first
      for (int r = 0; r <= rounds; r++) {
        for (int k = 0; k < publishes.size(); k++) {
          int i = (k + r) % publishes.size();
          String q = declare(broker);
          try {
            report(r, names.get(i), n, time(publishes.get(i), q));
          } finally {
            broker.deleteQueue(q);
          }
        }
        for (int k = 0; k < drains.size(); k++) {
          int i = (k + r) % drains.size();
          String q = declare(broker);
          try {
            rawPublish(raw, q, n); // the queue to drain
            report(r, drainNames.get(i), n, time(drains.get(i), q));
          } finally {
            broker.deleteQueue(q);
          }
        }
      }
    }
  }

  private static String declare(RabbitMqBroker broker) {
    String q = "probe-" + UUID.randomUUID().toString().substring(0, 8);
    broker.declareQueue(QueueSpec.builder(q).build());
    return q;
  }

  /** Wall time and this JVM's CPU time (all threads, GC included) of one case, in nanoseconds. */
  private static long[] time(Case c, String q) throws Exception {
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    try {
      c.run(q);
      return new long[] {System.nanoTime() - start, processCpuNanos() - cpu};
    } finally {
      for (AutoCloseable open : UNTIMED) {
        open.close();
      }
      UNTIMED.clear();
    }
  }

  private static long processCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  private static void report(int round, String name, int n, long[] nanos) {
    System.out.printf(
        "round %d  %-26s %8.0f msg/s %7.1f client CPU us/msg%n",
        round, name, n / (nanos[0] / 1e9), nanos[1] / 1e3 / n);
  }

  private static void rawPublish(Connection c, String q, int n) throws Exception {
    try (Channel ch = c.createChannel()) {
      ch.confirmSelect();
      Semaphore window = new Semaphore(RAW_WINDOW);
      NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();
      CountDownLatch confirmed = new CountDownLatch(n);
      com.rabbitmq.client.ConfirmCallback settle =
          (tag, multiple) -> {
            NavigableSet<Long> done =
                multiple
                    ? outstanding.headSet(tag, true)
                    : outstanding.subSet(tag, true, tag, true);
            for (Long t : List.copyOf(done)) {
              if (outstanding.remove(t)) {
                window.release();
                confirmed.countDown();
              }
            }
          };
      ch.addConfirmListener(settle, settle); // a nack counts as settled: the probe wants speed
      for (int i = 0; i < n; i++) {
        window.acquire();
        outstanding.add(ch.getNextPublishSeqNo());
        AMQP.BasicProperties props =
            MessageProperties.PERSISTENT_BASIC
                .builder()
                .messageId(UUID.randomUUID().toString())
                .build();
        ch.basicPublish("", q, true, props, PAYLOAD);
      }
      if (!confirmed.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("raw: confirms missing: " + confirmed.getCount());
      }
    }
  }

  private static Message message(String q) {
    return Message.builder().topic(q).payload(PAYLOAD).build();
  }

  private static void publishAll(Publisher p, String q, int n) {
    List<Message> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(message(q));
    }
    BatchResult result = p.publishAll(batch);
    result.throwIfAnyFailed();
  }

  private static void publishAsync(Publisher p, String q, int n) {
    List<CompletableFuture<PublishReceipt>> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(p.publishAsync(message(q)));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
  }

  private static void rawDrain(Connection c, String q, int n) throws Exception {
    Channel ch = c.createChannel();
    UNTIMED.add(ch);
    ch.basicQos(RAW_PREFETCH);
    CountDownLatch done = new CountDownLatch(n);
    ch.basicConsume(
        q,
        false,
        new DefaultConsumer(ch) {
          @Override
          public void handleDelivery(
              String tag, Envelope e, AMQP.BasicProperties props, byte[] body)
              throws java.io.IOException {
            getChannel().basicAck(e.getDeliveryTag(), false);
            done.countDown();
          }
        });
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("raw drain: missing " + done.getCount());
    }
  }

  private static void drain(RabbitMqBroker broker, String q, int n, ConsumerOptions options)
      throws Exception {
    CountDownLatch done = new CountDownLatch(n);
    Subscription s = broker.subscribe(q, options, d -> done.countDown());
    UNTIMED.add(() -> s.close(Duration.ofSeconds(5)));
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("drain: missing " + done.getCount());
    }
  }
}
