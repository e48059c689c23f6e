package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RabbitMqUriTest {

  @ParameterizedTest(name = "{0}")
  @DisplayName(
      "a URI without a usable scheme, host, port, user or vhost is refused, password unseen")
  @ValueSource(
      strings = {
        "amqp://admin:s3cret@:5672",
        "amqp://admin:s3cret@",
        "amqp://admin:s3cret@/vh",
        "amqp://admin:s3cret@host:0",
        "amqp://admin:s3cret@host:65536",
        "amqp://admin:s3cret@host:99999999999",
        "amqp://admin:s3cret@host:",
        "amqp://admin:s3cret@host:abc",
        "amqp://:s3cret@host",
        "amqp://admin@host",
        "amqp://admin:s3cr%zzet@host",
        "amqp://admin:s3cr%ffet@host",
        "amqp://admin:s3cret@host/a/b",
        "amqp://admin:s3cret@host/",
        "amqp://admin:s3cret@host/v%zz",
        "amqp://admin:s3cret@ho st",
        "amqp://admin:s3c ret@host",
        "amqp://admin:s3c#ret@host:5672/v",
        "amqp://admin:s3c[ret@host",
        "amqp://admin:s3c/ret@host",
        "amqp://admin:s3cret",
        "amqp://admin:s3cret@host?heartbeat=5",
        "amqps//admin:s3cret@host",
        "http://admin:s3cret@host",
        "admin:s3cret@host",
        "amqp://admin:s3cret@[::1",
        "amqp://admin:s3cret@host:5672:5673",
      })
  void badUris(String uri) {
    Throwable thrown = catchThrowable(() -> RabbitMqConfig.builder().uri(uri).build().toString());

    assertThat(thrown).as(uri).isInstanceOf(ConfigurationException.class);
    assertThat(thrown.getMessage()).doesNotContain("s3c");
    if (uri.contains("s3c")) {
      assertThat(thrown.getMessage()).contains("***");
    }
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("a password never shows in toString, uri() or the error of a failed connect")
  @CsvSource(
      delimiter = '|',
      value = {
        "amqp://u:p%23ss@h|p%23ss|p#ss",
        "amqp://u:pa ss@h|pa ss|pa%20ss",
        "amqp://u:p#w@h:5672/v|p#w|p#w",
        "amqp://u:pw@rabbit_host:5999|pw@|:pw",
        "amqp://u:sec[ret@h|sec[ret|sec%5Bret",
        "amqp://u:s%20ecret@rabbit_host|s%20ecret|s ecret",
      })
  void passwordsMasked(String uri, String raw, String decoded) {
    String shown;
    try {
      RabbitMqConfig config =
          RabbitMqConfig.builder()
              .uri(uri)
              .operationTimeout(Duration.ofSeconds(2))
              .statsReportInterval(Duration.ZERO)
              .build();
      shown = config.toString() + " " + config.uri();
      Throwable failed = catchThrowable(() -> RabbitMqBroker.connect(config).close());
      assertThat(failed).as(uri + " must not connect").isInstanceOf(RuntimeException.class);
      shown += " " + failed.getMessage() + " " + failed;
    } catch (ConfigurationException e) {
      shown = e.getMessage() + " " + e;
    }
    assertThat(shown).doesNotContain(raw).doesNotContain(decoded).contains("***");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("a host Java's URI cannot parse is connected to, never 127.0.0.1 as guest instead")
  @ValueSource(strings = {"amqp://guest:guest@rabbit_host:5999", "amqp://guest:guest@rabbit_host"})
  void underscoreHost(String uri) {
    RabbitMqConfig config =
        RabbitMqConfig.builder()
            .uri(uri)
            .operationTimeout(Duration.ofSeconds(2))
            .statsReportInterval(Duration.ZERO)
            .build();

    assertThatThrownBy(() -> RabbitMqBroker.connect(config).close())
        .isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("rabbit_host");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("the parts of a URI are percent-decoded; only the AMQP URI spec's defaults apply")
  @CsvSource(
      delimiter = '|',
      value = {
        "amqp://us%40er:p%23ss@rabbit_host:5999/v%2Fh|false|rabbit_host|5999|us@er|p#ss|v/h",
        "amqps://h|true|h|5671|guest|guest|/",
        "AMQP://u:p:w@h/%2F|false|h|5672|u|p:w|/",
        "amqp://u:%E2%82%AC@[::1]:5673/prod|false|::1|5673|u|€|prod",
      })
  void decodedParts(
      String uri, boolean tls, String host, int port, String user, String password, String vhost) {
    RabbitMqConfig config = RabbitMqConfig.of(uri);

    assertThat(config.tls()).isEqualTo(tls);
    assertThat(config.host()).isEqualTo(host);
    assertThat(config.port()).isEqualTo(port);
    assertThat(config.username()).isEqualTo(user);
    assertThat(config.endpoint().password).isEqualTo(password);
    assertThat(config.virtualHost()).isEqualTo(vhost);
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("redact masks the password of any string, URI or not")
  @CsvSource(
      delimiter = '|',
      value = {
        "amqp://u:p%23ss@h|amqp://u:***@h",
        "amqp://u:pa ss@h|amqp://u:***@h",
        "amqp://u:p#w@h:5672/v|amqp://u:***@h:5672/v",
        "amqp://u:pw@rabbit_host:5999|amqp://u:***@rabbit_host:5999",
        "amqp://u:sec[ret@h|amqp://u:***@h",
        "amqp://u:p@ss/w@h/v|amqp://u:***@h/v",
        "u:secret@h|u:***@h",
        "amqp://u:secret|amqp://u:***",
        "amqp://h:5672/v|amqp://h:5672/v",
        "amqp://[::1]:5672|amqp://[::1]:5672",
        "amqp://u@h|amqp://u@h",
        "embedded|embedded",
      })
  void redact(String uri, String shown) {
    assertThat(RabbitMqConfig.redact(uri)).isEqualTo(shown);
  }
}
