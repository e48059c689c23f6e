package io.jqueue.cli.bench;

import java.lang.management.ManagementFactory;

/** The CPU time this process has used, all threads and the GC included. */
final class Cpu {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private Cpu() {}

  static long processNanos() {
    return OS.getProcessCpuTime();
  }
}
