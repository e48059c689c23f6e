package io.jqueue.cli.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jqueue bench}: jqueue against plain-Java and plain-client baselines, in one JVM. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures jqueue against a baseline doing the same job in the same JVM, interleaved"
          + " (after a warm-up round of each), and prints the medians and their ratio.",
      "Scenarios: embedded-throughput, embedded-latency, embedded-memory, startup,"
          + " topic-fanout, rabbitmq-publish, rabbitmq-roundtrip, rabbitmq-drain"
          + " (--list or docs/benchmarks.md says what each baseline is). The rabbitmq-* scenarios are"
          + " skipped when RabbitMQ is unreachable.",
    })
public final class BenchCommand implements Callable<Integer> {
  static final int MAX_SIZE = 1024 * 1024;
  static final int MAX_THREADS = 64;

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      split = ",",
      paramLabel = "NAME",
      description = "Scenario to run; repeat it or give a comma list (default: all).")
  List<String> scenarios;

  @Option(
      names = "--size",
      defaultValue = "100",
      description = "Payload bytes, 8-" + MAX_SIZE + " (${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--duration",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "Length of a measured round: 500ms, 2s, 1m (${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "Length of the warm-up round of each side; 0s for none (${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Measured rounds of each side, 1-100 (${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--producers",
      description = "Publishing threads of embedded-throughput (default: its variants).")
  Integer producers;

  @Option(
      names = "--consumers",
      description = "Consumers of embedded-throughput (default: its variants).")
  Integer consumers;

  @Option(
      names = "--concurrency",
      defaultValue = "1",
      description = "Handler threads per consumer, 1-" + MAX_THREADS + " (${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--broker",
      defaultValue = RabbitTarget.DEFAULT_URI,
      paramLabel = "amqp://user:pass@host:port",
      description =
          "RabbitMQ for the rabbitmq-* scenarios (default: amqp://guest:***@127.0.0.1:5672).")
  String broker;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as JSON.")
  Path json;

  @Option(names = "--verbose", description = "Print the stack trace of a failed scenario.")
  boolean verbose;

  @Option(names = "--list", description = "List the scenarios and their baselines, run nothing.")
  boolean list;

  @Override
  public Integer call() throws Exception {
    if (list) {
      for (Scenario s : Scenarios.all()) {
        spec.commandLine().getOut().printf("%-20s %s%n", s.name(), s.description());
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
    List<Scenario> chosen = chosen();
    BenchSettings settings = settings();
    Progress progress = new Progress(spec.commandLine().getErr(), Progress.stderrIsTerminal());
    long started = System.nanoTime();
    Cleanup cleanup = new Cleanup().install();
    BenchContext ctx = new BenchContext(settings, progress, cleanup);
    List<Result> rows = new ArrayList<>();
    boolean failed = false;
    try {
      String rabbitProblem = null;
      if (chosen.stream().anyMatch(Scenario::needsRabbitMq)) {
        rabbitProblem = RabbitTarget.unreachable(settings.brokerUri());
      }
      for (Scenario scenario : chosen) {
        if (scenario.needsRabbitMq() && rabbitProblem != null) {
          rows.add(Result.skipped(scenario.name(), rabbitProblem));
          continue;
        }
        try {
          scenario.run(ctx, rows);
        } catch (Exception e) {
          failed = true;
          if (verbose) {
            e.printStackTrace(spec.commandLine().getErr());
          }
          rows.add(Result.skipped(scenario.name(), "failed: " + RabbitTarget.oneLine(e)));
        }
      }
    } finally {
      cleanup.uninstall();
      progress.clear();
    }
    BenchReport.print(rows, settings, System.nanoTime() - started, spec.commandLine().getOut());
    if (json != null) {
      BenchReport.writeJson(rows, json);
    }
    return failed ? 1 : 0;
  }

  private List<Scenario> chosen() {
    List<Scenario> all = Scenarios.all();
    if (scenarios == null || scenarios.isEmpty()) {
      return all;
    }
    List<Scenario> chosen = new ArrayList<>();
    for (String name : scenarios) {
      Scenario s =
          all.stream()
              .filter(x -> x.name().equals(name.strip()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ParameterException(
                          spec.commandLine(),
                          "unknown scenario '"
                              + name.strip()
                              + "': choose from "
                              + String.join(", ", all.stream().map(Scenario::name).toList())));
      if (!chosen.contains(s)) {
        chosen.add(s);
      }
    }
    return chosen;
  }

  private BenchSettings settings() {
    check(size >= 8 && size <= MAX_SIZE, "--size must be 8-" + MAX_SIZE + " bytes, got " + size);
    check(
        !duration.isNegative() && !duration.isZero() && duration.toMinutes() < 10,
        "--duration must be more than 0 and less than 10 minutes, got " + duration);
    check(
        !warmup.isNegative() && warmup.toMinutes() < 10,
        "--warmup must be 0 or more and less than 10 minutes, got " + warmup);
    check(rounds >= 1 && rounds <= 100, "--rounds must be 1-100, got " + rounds);
    checkThreads("--producers", producers);
    checkThreads("--consumers", consumers);
    checkThreads("--concurrency", concurrency);
    String problem = RabbitTarget.problem(broker);
    check(problem == null, problem);
    return new BenchSettings(
        size, duration, warmup, rounds, producers, consumers, concurrency, broker);
  }

  private void checkThreads(String option, Integer value) {
    check(
        value == null || (value >= 1 && value <= MAX_THREADS),
        option + " must be 1-" + MAX_THREADS + ", got " + value);
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
