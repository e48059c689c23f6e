package io.jqueue.cli.bench;

/** Times a piece of work that reports how many messages it moved: rate and CPU per message. */
final class Timed {
  /** Work that returns how many messages it published, delivered or handled. */
  @FunctionalInterface
  interface Work {
    long run() throws Exception;
  }

  private Timed() {}

  static Sample throughput(Work work) throws Exception {
    long cpu0 = Cpu.processNanos();
    long t0 = System.nanoTime();
    long messages = Math.max(1, work.run());
    return Sample.throughput(messages, System.nanoTime() - t0, Cpu.processNanos() - cpu0);
  }
}
