package io.jqueue.cli;

import io.jqueue.JQueueException;
import io.jqueue.rabbitmq.RabbitMqConfig;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Entry point of the {@code jqueue} command. */
public final class Main {
  /** Exit code of an error while running (broker unreachable, TLS refused); usage errors are 2. */
  static final int RUNTIME_ERROR = 1;

  private Main() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    // slf4j-simple reads its level once, when the first logger is created: set it before that.
    boolean verbose = Arrays.asList(args).contains("--verbose");
    System.setProperty("org.slf4j.simpleLogger.log.io.jqueue", verbose ? "info" : "error");
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line, for tests. A user error ends with one line on stderr (a stack
   * trace only with {@code --verbose}) and exit code 2 for bad arguments, 1 for failures while
   * running.
   */
  static CommandLine commandLine() {
    return new CommandLine(new JQueueCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(Main::badArguments)
        .setExecutionExceptionHandler(Main::failed);
  }

  private static int badArguments(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(
        oneLine(e.getMessage())
            + " (see '"
            + command.getCommandSpec().qualifiedName()
            + " --help')");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static int failed(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    if (verbose(parsed)) {
      e.printStackTrace(err);
    } else if (e instanceof JQueueException) {
      err.println("jqueue: " + oneLine(e.getMessage()));
    } else {
      err.println(
          "jqueue: unexpected error "
              + e.getClass().getSimpleName()
              + ": "
              + oneLine(String.valueOf(e.getMessage()))
              + " (--verbose shows where)");
    }
    err.flush();
    return RUNTIME_ERROR;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** One line, with whatever looks like a broker URI's password masked. */
  private static String oneLine(String text) {
    String line = text.replaceAll("\\s*\\R\\s*", " ").strip();
    StringBuilder masked = new StringBuilder();
    for (String word : line.split(" ", -1)) {
      masked
          .append(masked.length() > 0 ? " " : "")
          .append(word.contains("://") ? RabbitMqConfig.redact(word) : word);
    }
    return masked.toString();
  }
}
