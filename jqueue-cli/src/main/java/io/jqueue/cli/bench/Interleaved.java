package io.jqueue.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs several series in one JVM, interleaved so that a slow patch of a busy machine hits them
 * alike: one warm-up round of each (unless the warm-up is 0), then {@code rounds} rounds of each in
 * turn (a, b, c, a, b, c, ...); returns each series' medians, in the order given.
 */
final class Interleaved {
  private Interleaved() {}

  static List<Sample> run(BenchContext ctx, String what, List<Series> series) throws Exception {
    if (!ctx.settings().warmup().isZero()) {
      for (Series s : series) {
        ctx.progress().show(what, s.name() + ": warm-up");
        System.gc();
        s.round().run(ctx.settings().warmup());
      }
    }
    List<List<Sample>> samples = new ArrayList<>();
    series.forEach(s -> samples.add(new ArrayList<>()));
    int rounds = ctx.settings().rounds();
    for (int r = 1; r <= rounds; r++) {
      for (int i = 0; i < series.size(); i++) {
        Series s = series.get(i);
        ctx.progress().show(what, s.name() + ": round " + r + "/" + rounds);
        System.gc(); // so garbage one side left does not pause the other's round
        samples.get(i).add(s.round().run(ctx.settings().duration()));
      }
    }
    return samples.stream().map(Sample::median).toList();
  }
}
