package io.jqueue.cli;

import io.jqueue.Broker;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import io.jqueue.SubscriberStats;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jqueue demo competing}: several consumers share one queue's work. */
@Command(
    name = "competing",
    mixinStandardHelpOptions = true,
    description =
        "Competing consumers: several subscribers take messages from one queue; each message is"
            + " handled by exactly one of them (exit 1 if any is lost or handled twice).")
final class CompetingDemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BrokerChoice brokerChoice;

  @Option(names = "--consumers", defaultValue = "4", description = "Consumers (${DEFAULT-VALUE}).")
  int consumers;

  @Option(names = "--messages", defaultValue = "20", description = "Messages (${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--verbose", description = "Also print jqueue's own log lines.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String problem = brokerChoice.problem();
    if (consumers < 1 || consumers > 64 || messages < 1 || messages > 100_000) {
      problem = "--consumers must be 1-64 and --messages 1-100000";
    }
    if (problem != null) {
      spec.commandLine().getErr().println(problem);
      return 2;
    }
    return brokerChoice.runOnFreshQueue(
        "demo-competing", "tasks", (broker, queue) -> run(broker, queue, out));
  }

  private boolean run(Broker broker, String queue, PrintWriter out) throws InterruptedException {
    broker.declareQueue(QueueSpec.builder(queue).maxSize(messages).build());
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    out.printf(
        "starting %d competing consumers on queue '%s' (%s)%n",
        consumers, queue, brokerChoice.describe());
    for (int i = 1; i <= consumers; i++) {
      String id = "consumer-" + i;
      broker.subscribe(
          queue,
          ConsumerOptions.builder().id(id).build(),
          d -> {
            Thread.sleep(100);
            int n = handled.computeIfAbsent(d.text(), k -> new AtomicInteger()).incrementAndGet();
            synchronized (out) {
              out.printf("%-11s handled %s%s%n", id, d.text(), n > 1 ? " (AGAIN!)" : "");
              out.flush();
            }
          });
    }
    Publisher publisher = broker.publisher();
    out.printf("publishing %d messages%n", messages);
    for (int i = 1; i <= messages; i++) {
      publisher.publish(Message.builder().topic(queue).text("message-" + i).build());
    }
    Instant deadline = Instant.now().plusSeconds(30 + messages / 10);
    while (broker.stats(queue).acked() < messages && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    QueueStats stats = broker.stats(queue);
    out.println();
    out.println("processing complete:");
    for (SubscriberStats s : stats.subscribers()) {
      out.printf("  %-11s %3d messages%n", s.id(), s.processed());
    }
    long twice = handled.values().stream().filter(n -> n.get() > 1).count();
    boolean ok = stats.acked() == messages && handled.size() == messages && twice == 0;
    out.printf(
        "%d of %d messages handled, %d more than once: %s%n",
        handled.size(),
        messages,
        twice,
        ok ? "each message was handled by exactly one consumer" : "NOT all handled exactly once");
    out.flush();
    return ok;
  }
}
