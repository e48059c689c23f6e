package io.jqueue.cli.bench;

import java.io.PrintWriter;

/**
 * The progress line on stderr. On a terminal one line is rewritten in place ({@code \r}); in a log
 * (CI) each scenario and variant gets one line when it starts, and rounds are not shown.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean terminal;
  private String lastWhat = "";
  private int lastLength;

  Progress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** Whether stderr looks like a terminal: a console exists (and says so, on JDK 22+). */
  static boolean stderrIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before JDK 22 a console exists only when attached to a terminal
    }
  }

  /** Shows that {@code what} (scenario and variant) is at {@code step}. */
  synchronized void show(String what, String step) {
    if (terminal) {
      String line = "bench: " + what + " - " + step;
      err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
      lastLength = line.length();
      err.flush();
    } else if (!what.equals(lastWhat)) {
      err.println("bench: " + what);
      err.flush();
    }
    lastWhat = what;
  }

  /** Clears the line, before the table is printed. */
  synchronized void clear() {
    if (terminal && lastLength > 0) {
      err.print("\r" + " ".repeat(lastLength) + "\r");
      err.flush();
      lastLength = 0;
    }
  }
}
