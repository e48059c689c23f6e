package io.jqueue.cli.bench;

/**
 * One row of {@code jqueue bench}: jqueue's medians next to its baseline's, measured in the same
 * JVM, interleaved. Written to {@code --json} as it is; a field is null where not measured, and
 * every figure is null in a row that was skipped (then {@code skipped} says why).
 */
record Result(
    String scenario,
    String variant,
    String baseline,
    Double msgsPerSec,
    Double p50Micros,
    Double p99Micros,
    Double p999Micros,
    Double cpuMicrosPerMsg,
    Double bytesPerMsg,
    Double startupMillis,
    Double baselineMsgsPerSec,
    Double baselineP50Micros,
    Double baselineP99Micros,
    Double baselineP999Micros,
    Double baselineCpuMicrosPerMsg,
    Double baselineBytesPerMsg,
    Double baselineStartupMillis,
    Double ratio,
    String ratioOf,
    Integer rounds,
    String skipped) {

  /** A row comparing {@code jqueue} with {@code base} by {@code metric}. */
  static Result compare(
      String scenario,
      String variant,
      String baseline,
      Metric metric,
      Sample jqueue,
      Sample base,
      int rounds) {
    Double mine = metric.of(jqueue);
    Double theirs = metric.of(base);
    Double ratio = mine != null && theirs != null && theirs != 0 ? mine / theirs : null;
    return new Result(
        scenario,
        variant,
        baseline,
        jqueue.msgsPerSec(),
        jqueue.p50Micros(),
        jqueue.p99Micros(),
        jqueue.p999Micros(),
        jqueue.cpuMicrosPerMsg(),
        jqueue.bytesPerMsg(),
        jqueue.millis(),
        base.msgsPerSec(),
        base.p50Micros(),
        base.p99Micros(),
        base.p999Micros(),
        base.cpuMicrosPerMsg(),
        base.bytesPerMsg(),
        base.millis(),
        ratio,
        metric.describe(),
        rounds,
        null);
  }

  /** A row for a scenario that could not run here, with the reason. */
  static Result skipped(String scenario, String reason) {
    return new Result(
        scenario, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, reason);
  }
}
