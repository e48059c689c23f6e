package io.jqueue.cli.bench;

import java.util.List;

/** One {@code jqueue bench} scenario: jqueue against its baseline, one row per variant. */
interface Scenario {
  /** The name given to {@code --scenario}. */
  String name();

  /** What is measured and what the baseline is, for {@code --help}. */
  String description();

  /** Whether it needs RabbitMQ at {@code --broker} (it is skipped when that is unreachable). */
  default boolean needsRabbitMq() {
    return false;
  }

  /**
   * Runs every variant, adding its rows to {@code rows} as they are measured (so a failure keeps
   * what came before).
   */
  void run(BenchContext ctx, List<Result> rows) throws Exception;
}
