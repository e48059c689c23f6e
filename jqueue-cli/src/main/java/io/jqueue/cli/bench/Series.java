package io.jqueue.cli.bench;

import java.time.Duration;

/** One side of a comparison (jqueue's, or a baseline's): a name and how to run one round. */
record Series(String name, Round round) {

  /** Runs one round of about {@code duration} (count-based rounds ignore it). */
  @FunctionalInterface
  interface Round {
    Sample run(Duration duration) throws Exception;
  }
}
