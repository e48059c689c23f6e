package io.jqueue.cli;

import io.jqueue.Broker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jqueue demo}: the seed's order pipeline on the embedded broker. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the order-processing pipeline (orders -> payments -> fulfillment -> notifications)"
          + " on the embedded broker or RabbitMQ: payments fail at random and are retried with backoff, every"
          + " Nth card is declined and dead-lettered. Ends with per-queue statistics, the"
          + " dead-letter queues and a check that every order is accounted for (exit 1 if not).",
    },
    subcommands = {
      CompetingDemoCommand.class,
      PublisherDemoCommand.class,
      PubSubDemoCommand.class,
      RequestReplyDemoCommand.class
    })
final class DemoCommand implements Callable<Integer> {
  /** More orders than this only make the demo slow; use the benchmarks for load. */
  static final int MAX_ORDERS = 100_000;

  @Spec CommandSpec spec;

  @Mixin BrokerChoice brokerChoice;

  @Option(
      names = "--orders",
      defaultValue = "20",
      description = "Orders to publish, 1-" + MAX_ORDERS + " (${DEFAULT-VALUE}).")
  int orders;

  @Option(
      names = "--failure-rate",
      defaultValue = "0.2",
      description = "Chance that one payment attempt times out, in [0,1) (${DEFAULT-VALUE}).")
  double failureRate;

  @Option(
      names = "--decline-every",
      defaultValue = "7",
      description = "Every Nth order's card is declined; 0 for none (${DEFAULT-VALUE}).")
  int declineEvery;

  @Option(names = "--seed", description = "Seed for the random failures (default: random).")
  Long seed;

  @Option(names = "--quiet", description = "Print progress and the summary only.")
  boolean quiet;

  @Option(
      names = "--timeout",
      defaultValue = "50",
      description = "Seconds to wait for the pipeline to settle (${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--verbose", description = "Also print jqueue's own log lines.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String problem = problem();
    if (problem != null) {
      spec.commandLine().getErr().println(problem);
      return 2;
    }
    long actualSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1_000_000);
    out.printf("jqueue order pipeline on %s (seed %d)%n%n", brokerChoice.describe(), actualSeed);
    OrderPipelineDemo.Settings settings =
        new OrderPipelineDemo.Settings(
            brokerChoice.queuePrefix(),
            orders,
            failureRate,
            declineEvery,
            actualSeed,
            quiet,
            Duration.ofMillis(50),
            Duration.ofSeconds(timeoutSeconds));
    try (Broker broker = brokerChoice.open("demo")) {
      removeQueues(broker, settings); // a fresh start: nothing left from an earlier run
      try {
        return new OrderPipelineDemo(broker, settings, out).run().nothingLost() ? 0 : 1;
      } finally {
        removeQueues(broker, settings);
      }
    }
  }

  private String problem() {
    if (orders < 1 || orders > MAX_ORDERS) {
      return "--orders must be 1-" + MAX_ORDERS + ", got " + orders;
    }
    if (!(failureRate >= 0 && failureRate < 1)) { // also refuses NaN
      return "--failure-rate must be a number in [0,1), got " + failureRate;
    }
    if (declineEvery < 0) {
      return "--decline-every must be >= 0, got " + declineEvery;
    }
    if (timeoutSeconds < 1) {
      return "--timeout must be >= 1 (seconds), got " + timeoutSeconds;
    }
    return brokerChoice.problem();
  }

  private static void removeQueues(Broker broker, OrderPipelineDemo.Settings settings) {
    for (String stage : OrderPipelineDemo.STAGES) {
      broker.deleteQueue(settings.queuePrefix() + stage);
    }
  }
}
