package io.jqueue.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What {@code jqueue bench} prints at the end, and its {@code --json} file. */
final class BenchReport {
  private BenchReport() {}

  static void print(List<Result> rows, BenchSettings s, long elapsedNanos, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "jqueue bench: %d-byte payloads; medians of %d round(s) of %s after a %s warm-up of each"
            + " side, interleaved; JDK %s, %d cores%n%n",
        s.size(),
        s.rounds(),
        text(s.duration()),
        text(s.warmup()),
        Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    ResultTable.print(rows, out);
    out.printf(Locale.ROOT, "%nbench took %.0f s%n", elapsedNanos / 1e9);
    out.flush();
  }

  static void writeJson(List<Result> rows, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), rows);
  }

  private static String text(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
