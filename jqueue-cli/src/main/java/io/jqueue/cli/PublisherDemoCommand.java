package io.jqueue.cli;

import io.jqueue.Broker;
import io.jqueue.CircuitOpenException;
import io.jqueue.ConsumerOptions;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import io.jqueue.Subscription;
import io.jqueue.middleware.CircuitBreaker;
import io.jqueue.middleware.Compression;
import io.jqueue.middleware.Decompression;
import io.jqueue.middleware.Decryption;
import io.jqueue.middleware.Encryption;
import io.jqueue.middleware.KeyRing;
import io.jqueue.middleware.Middlewares;
import io.jqueue.middleware.PublishMetrics;
import io.jqueue.middleware.Retry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jqueue demo publisher}: the seed's publisher system at work. Messages go through
 * validation, correlation id, schema version, compression, encryption, metrics, retry and a circuit
 * breaker; a consumer decrypts and decompresses them. Then the destination fills up, the breaker
 * opens and fails fast, the destination drains, a probe closes the breaker, and the publish metrics
 * are printed. Exit 0 when every confirmed message arrived intact and the breaker went round.
 */
@Command(
    name = "publisher",
    mixinStandardHelpOptions = true,
    description =
        "The publisher pipeline: middlewares (validation, compression, AES-256-GCM encryption,"
            + " metrics, retry, circuit breaker), a destination that fills up and trips the"
            + " breaker, its recovery, and the publish metrics (exit 1 if anything is lost).")
final class PublisherDemoCommand implements Callable<Integer> {
  private static final int ROOM = 10;

  @Spec CommandSpec spec;

  @Mixin BrokerChoice brokerChoice;

  @Option(
      names = "--messages",
      defaultValue = "20",
      description = "Messages to publish while all is well, 1-10000 (${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--verbose", description = "Also print jqueue's own log lines.")
  boolean verbose;

  private final Map<String, String> expected = new ConcurrentHashMap<>();
  private final Map<String, String> received = new ConcurrentHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String problem = brokerChoice.problem();
    if (messages < 1 || messages > 10_000) {
      problem = "--messages must be 1-10000, got " + messages;
    }
    if (problem != null) {
      spec.commandLine().getErr().println(problem);
      return 2;
    }
    return brokerChoice.runOnFreshQueue(
        "demo-publisher", "publisher-demo", (broker, queue) -> run(broker, queue, out));
  }

  private boolean run(Broker broker, String queue, PrintWriter out) throws InterruptedException {
    broker.declareQueue(QueueSpec.builder(queue).maxSize(ROOM).build());
    byte[] key = new byte[KeyRing.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    KeyRing keys = KeyRing.builder().current("demo-key-1", key).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .name("demo")
            .failureThreshold(3)
            .openWait(Duration.ofSeconds(1))
            .probeCalls(1)
            .meterRegistry(registry)
            .build();
    Retry retry =
        Retry.builder()
            .maxAttempts(2)
            .initialDelay(Duration.ofMillis(50))
            .maxDelay(Duration.ofMillis(200))
            .build();
    PublisherOptions options =
        PublisherOptions.builder()
            .id("demo-publisher")
            .publishTimeout(Duration.ofSeconds(10))
            .middlewares(
                Middlewares.validation(),
                Middlewares.correlationId(),
                Middlewares.schemaVersion("1"),
                Compression.gzip(256),
                Encryption.aesGcm(keys),
                PublishMetrics.of(registry),
                retry,
                breaker)
            .build();
    ConsumerOptions consumer =
        ConsumerOptions.builder()
            .id("decoder")
            .middlewares(Decryption.aesGcm(keys).requireEncrypted(), Decompression.gzip())
            .build();
    out.printf("jqueue publisher pipeline on %s%n", brokerChoice.describe());
    out.println(
        "  publish: validation > correlation-id > schema-version > compression(256 B)"
            + " > encryption(AES-256-GCM) > metrics > retry(2) > circuit-breaker(3 failures, 1 s)");
    out.println("  consume: decryption > decompression");
    out.println();
    try (Publisher publisher = broker.publisher(options)) {
      Subscription sub =
          broker.subscribe(queue, consumer, d -> received.put(d.message().id(), d.text()));
      out.printf("1. publishing %d orders while all is well%n", messages);
      for (int i = 1; i <= messages; i++) {
        publish(publisher, queue, i, out, false);
      }
      waitUntil(() -> received.size() == expected.size(), Duration.ofSeconds(30));
      out.printf(
          "   %d confirmed, %d decrypted and decompressed by the consumer%n%n",
          expected.size(), received.size());

      sub.close(Duration.ofSeconds(5));
      out.printf("2. the consumer stops; the queue holds at most %d, then refuses%n", ROOM);
      int n = messages;
      boolean opened = false;
      for (int tries = 0; tries < ROOM + 10 && !opened; tries++) {
        opened =
            !publish(publisher, queue, ++n, out, true)
                && breaker.state() == CircuitBreaker.State.OPEN;
      }
      out.printf("   circuit %s; publisher health: %s%n", breaker.state(), publisher.health());
      boolean failFast = publish(publisher, queue, ++n, out, true) == false;
      out.println();

      out.println(
          "3. the consumer drains the queue; after the breaker's wait one probe goes through");
      broker.subscribe(queue, consumer, d -> received.put(d.message().id(), d.text()));
      waitUntil(() -> received.size() == expected.size(), Duration.ofSeconds(30));
      Thread.sleep(1_100); // the breaker's open wait, so the next publish is its probe
      boolean probed = publish(publisher, queue, ++n, out, true);
      out.printf("   circuit %s; publisher health: %s%n%n", breaker.state(), publisher.health());
      waitUntil(() -> received.size() == expected.size(), Duration.ofSeconds(30));

      printMetrics(registry, queue, out);
      return verdict(out, opened, failFast, probed, breaker);
    }
  }

  /** Publishes one order; prints failures; true when the broker confirmed it. */
  private boolean publish(Publisher publisher, String queue, int i, PrintWriter out, boolean loud) {
    String text =
        "{\"order\":\"ORDER-"
            + i
            + "\",\"note\":\""
            + "gift wrap, leave at the door. ".repeat(12)
            + "\"}";
    Message m = Message.builder().topic(queue).action("order.created").text(text).build();
    try {
      publisher.publish(m);
      expected.put(m.id(), text);
      if (loud) {
        out.printf("   ORDER-%-4d published%n", i);
      }
      return true;
    } catch (CircuitOpenException e) {
      out.printf("   ORDER-%-4d CircuitOpenException: failed fast, the broker was not called%n", i);
    } catch (JQueueException e) {
      out.printf("   ORDER-%-4d %s after the retry gave up%n", i, e.getClass().getSimpleName());
    }
    out.flush();
    return false;
  }

  private void printMetrics(SimpleMeterRegistry registry, String queue, PrintWriter out) {
    out.println("4. publish metrics");
    for (String status : List.of("success", "error")) {
      Counter c =
          registry.find(PublishMetrics.PUBLISHED).tags("topic", queue, "status", status).counter();
      out.printf(
          "   %s{status=%s} %.0f%n", PublishMetrics.PUBLISHED, status, c == null ? 0 : c.count());
    }
    Timer t = registry.find(PublishMetrics.DURATION).tags("topic", queue).timer();
    if (t != null) {
      out.printf(
          "   %s count %d, mean %.2f ms, max %.2f ms%n",
          PublishMetrics.DURATION,
          t.count(),
          t.mean(TimeUnit.MILLISECONDS),
          t.max(TimeUnit.MILLISECONDS));
    }
    registry
        .find("jqueue.circuit.transitions")
        .counters()
        .forEach(
            c ->
                out.printf(
                    "   jqueue.circuit.transitions{%s -> %s} %.0f%n",
                    c.getId().getTag("from"), c.getId().getTag("to"), c.count()));
    out.println();
  }

  private boolean verdict(
      PrintWriter out, boolean opened, boolean failFast, boolean probed, CircuitBreaker breaker) {
    boolean intact =
        expected.entrySet().stream().allMatch(e -> e.getValue().equals(received.get(e.getKey())));
    boolean ok =
        intact
            && received.size() == expected.size()
            && opened
            && failFast
            && probed
            && breaker.state() == CircuitBreaker.State.CLOSED;
    out.printf(
        "%d confirmed, %d received intact; breaker opened: %s, failed fast: %s, closed again: %s"
            + " => %s%n",
        expected.size(),
        received.size(),
        opened,
        failFast,
        probed && breaker.state() == CircuitBreaker.State.CLOSED,
        ok ? "nothing lost" : "SOMETHING WENT WRONG");
    out.flush();
    return ok;
  }

  private static void waitUntil(java.util.function.BooleanSupplier done, Duration limit)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (!done.getAsBoolean() && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
  }
}
