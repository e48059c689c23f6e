package io.jqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** User errors end with one line on stderr and a non-zero exit code, never a stack trace. */
class CliErrorsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private void assertOneCleanLine(String... secrets) {
    String errText = err.toString();
    assertThat(errText.strip().lines()).as(errText).hasSize(1);
    assertThat(errText).doesNotContain("Exception").doesNotContain("\tat ");
    for (String secret : secrets) {
      assertThat(out.toString() + errText).doesNotContain(secret);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @DisplayName("bad numbers are usage errors: exit 2 and one line naming the option")
  @CsvSource({
    "--failure-rate,NaN,--failure-rate",
    "--failure-rate,2,--failure-rate",
    "--failure-rate,-0.1,--failure-rate",
    "--orders,3000000,--orders",
    "--orders,0,--orders",
    "--orders,abc,--orders",
    "--decline-every,-1,--decline-every",
    "--timeout,0,--timeout",
  })
  void badNumbers(String option, String value, String named) {
    String[] args =
        option.equals("--timeout")
            ? new String[] {"demo", option, value}
            : new String[] {"demo", option, value, "--timeout", "5"};
    assertThat(run(args)).isEqualTo(2);
    assertOneCleanLine();
    assertThat(err.toString()).contains(named);
  }

  @Test
  @DisplayName("competing demo: bad counts exit 2 with one line")
  void competingBadNumbers() {
    assertThat(run("demo", "competing", "--messages", "0")).isEqualTo(2);
    assertOneCleanLine();
  }

  @Test
  @DisplayName("--help documents the --orders maximum")
  void helpShowsOrdersMaximum() {
    assertThat(run("demo", "--help")).isZero();
    assertThat(out.toString()).contains("100000");
  }

  @Test
  @DisplayName("an unreachable broker is a runtime error: exit 1, one line, no stack trace")
  void unreachableBroker() {
    assertThat(run("demo", "--broker", "amqp://guest:s3cret@127.0.0.1:1", "--timeout", "5"))
        .isEqualTo(1);
    assertOneCleanLine("s3cret");
    assertThat(err.toString()).contains("127.0.0.1:1");
  }

  @Test
  @DisplayName("the competing demo reports an unreachable broker the same way")
  void unreachableBrokerCompeting() {
    assertThat(run("demo", "competing", "--broker", "amqp://guest:s3cret@127.0.0.1:1"))
        .isEqualTo(1);
    assertOneCleanLine("s3cret");
  }

  @Test
  @DisplayName("amqps:// to a plain AMQP port: exit 1, one line that mentions TLS")
  void amqpsToPlainPort() {
    assertThat(run("demo", "--broker", "amqps://guest:s3cret@127.0.0.1:5672", "--timeout", "5"))
        .isEqualTo(1);
    assertOneCleanLine("s3cret");
    assertThat(err.toString()).contains("TLS");
  }

  @Test
  @DisplayName("--verbose shows the stack trace of a runtime error")
  void verboseShowsStackTrace() {
    assertThat(run("demo", "--broker", "amqp://guest:s3cret@127.0.0.1:1", "--verbose"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("\tat io.jqueue").doesNotContain("s3cret");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("a broker URI's password never shows, whether the URI is refused or unreachable")
  @CsvSource(
      delimiter = '|',
      value = {
        "amqp://u:p%23ss@h|p%23ss|p#ss",
        "amqp://u:pa ss@h|pa ss|pa%20ss",
        "amqp://u:p#w@h:5672/v|p#w|:p#",
        "amqp://u:pw@rabbit_host:5999|:pw@|u:pw",
        "amqp://u:sec[ret@h|sec[ret|sec%5Bret",
        "amqp://admin:s3cret@:5672|s3cret|s3cret",
        "amqp://admin:s3cret|s3cret|s3cret",
      })
  void passwordsNeverShown(String uri, String raw, String decoded) {
    int exit = run("demo", "--broker", uri, "--timeout", "5");

    assertThat(exit).isIn(1, 2);
    assertOneCleanLine(raw, decoded);
    assertThat(out.toString()).doesNotContain("nothing was lost");
  }
}
