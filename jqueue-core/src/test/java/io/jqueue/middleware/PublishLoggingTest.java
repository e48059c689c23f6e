package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.Message;
import io.jqueue.ValidationException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class PublishLoggingTest {

  /** A logger that keeps every line it is given, formatted. */
  static final class LinesLogger extends LegacyAbstractLogger {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String format, Object[] args, Throwable t) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(format, args));
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }

  private final LinesLogger logger = new LinesLogger();

  private static Message secretMessage() {
    return Message.builder()
        .topic("users")
        .action("user.created")
        .text("{\"email\":\"user@example.com\"}")
        .header("Authorization", "Bearer abc.def")
        .header("x-api-key", "k-123")
        .header("session", "s-1")
        .header("source", "user-service")
        .build();
  }

  @Test
  @DisplayName("a publish is logged with id, topic, action and headers, never payload or secrets")
  void logsWithoutPayloadOrSecrets() {
    PublishLogging logging =
        PublishLogging.builder().logger(logger).secretHeader("SESSION").build();
    Message m = secretMessage();

    logging.publish(m, new ChainStub());

    assertThat(logger.lines).hasSize(1);
    String line = logger.lines.get(0);
    assertThat(line)
        .startsWith("DEBUG published message " + m.id())
        .contains("users", "user.created", "source=user-service", "Authorization=***")
        .contains("x-api-key=***", "session=***")
        .doesNotContain("Bearer", "abc.def", "k-123", "s-1", "user@example.com");
  }

  @Test
  @DisplayName("in debug mode the text payload is logged, cut to the length asked for")
  void payloadWhenAsked() {
    PublishLogging logging = PublishLogging.builder().logger(logger).includePayload(10).build();

    logging.publish(secretMessage(), new ChainStub());
    logging.publish(
        Message.builder().topic("bin").payload(new byte[] {1, 2, 3}).build(), new ChainStub());

    assertThat(logger.lines.get(0))
        .contains("payload {\"email\":\"... in")
        .doesNotContain("Bearer");
    assertThat(logger.lines.get(1)).contains("<3 bytes, not shown as text>");
  }

  @Test
  @DisplayName("a failed publish is logged at WARN with the error, and rethrown")
  void failureAtWarn() {
    PublishLogging logging = PublishLogging.builder().logger(logger).level(Level.INFO).build();
    ChainStub failing =
        new ChainStub()
            .answering(
                m -> {
                  throw new BrokerUnavailableException("connection lost");
                });

    assertThatThrownBy(() -> logging.publish(secretMessage(), failing))
        .isInstanceOf(BrokerUnavailableException.class);

    assertThat(logger.lines).singleElement().asString().startsWith("WARN publish of message");
    assertThat(logger.lines.get(0)).contains("connection lost").doesNotContain("abc.def");
  }

  @Test
  @DisplayName("nonsense options are refused")
  void badOptions() {
    assertThatThrownBy(() -> PublishLogging.builder().includePayload(0))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> PublishLogging.builder().secretHeader(""))
        .isInstanceOf(ValidationException.class);
  }
}
