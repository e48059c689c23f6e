package io.jqueue.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code startup}: time from {@code main()} to the first message handled, in fresh child JVMs
 * ({@link StartupChild}, same java and class path), jqueue's embedded broker against a thread and
 * an ArrayBlockingQueue; {@value #RUNS} runs of each, interleaved, after one of each unmeasured.
 */
final class Startup implements Scenario {
  static final int RUNS = 5;

  @Override
  public String name() {
    return "startup";
  }

  @Override
  public String description() {
    return "main() to first message handled in a fresh JVM, embedded broker;"
        + " baseline: a thread and an ArrayBlockingQueue";
  }

  @Override
  public void run(BenchContext ctx, List<Result> rows) throws Exception {
    // "logging up": the application's logging backend started before main() reads the clock, as
    // in any application (it starts once per process, whoever logs first); "logging cold": jqueue's
    // first log statement also starts the backend (here slf4j-simple with a date format)
    for (String logging : List.of("up", "cold")) {
      List<Sample> mine = new ArrayList<>();
      List<Sample> theirs = new ArrayList<>();
      for (int run = 0; run <= RUNS; run++) {
        String step = run == 0 ? "warm-up" : "run " + run + "/" + RUNS;
        ctx.progress().show(name(), "logging " + logging + ", jqueue: " + step);
        Sample m = child("jqueue", logging);
        ctx.progress().show(name(), "logging " + logging + ", baseline: " + step);
        Sample b = child("baseline", logging);
        if (run > 0) {
          mine.add(m);
          theirs.add(b);
        }
      }
      rows.add(
          Result.compare(
              name(),
              "embedded, logging " + logging,
              "a thread and an ArrayBlockingQueue",
              Metric.STARTUP_MILLIS,
              Sample.median(mine),
              Sample.median(theirs),
              RUNS));
    }
  }

  private static Sample child(String side, String logging)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                StartupChild.class.getName(),
                side,
                logging)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("the " + side + " startup child failed: '" + out + "'");
    }
    String[] lines = out.split("\\R");
    return Sample.millis(Long.parseLong(lines[lines.length - 1].strip()) / 1e6);
  }
}
