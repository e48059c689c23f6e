package io.jqueue.cli;

import java.util.Arrays;
import picocli.CommandLine;

/** Entry point of the {@code jqueue} command. */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    // slf4j-simple reads its level once, when the first logger is created: set it before that.
    boolean verbose = Arrays.asList(args).contains("--verbose");
    System.setProperty("org.slf4j.simpleLogger.log.io.jqueue", verbose ? "info" : "error");
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests. */
  static CommandLine commandLine() {
    return new CommandLine(new JQueueCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
