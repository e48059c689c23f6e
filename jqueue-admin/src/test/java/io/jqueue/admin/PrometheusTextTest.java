package io.jqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test parser itself: it reads the format and refuses what Prometheus would refuse. */
class PrometheusTextTest {
  @Test
  void readsFamiliesLabelsEscapesSpecialValuesAndTimestamps() {
    Map<String, PrometheusText.Family> f =
        PrometheusText.parse(
            "# HELP q_depth messages\\nready\n"
                + "# TYPE q_depth gauge\n"
                + "q_depth{queue=\"a\\\"b\",x=\"c\\\\d\"} 3 1700000000000\n"
                + "q_depth{queue=\"n\\nl\",} NaN\n"
                + "# TYPE lat summary\n"
                + "lat{quantile=\"0.5\"} +Inf\n"
                + "lat_sum -Inf\n"
                + "lat_count 2e3\n"
                + "untyped_one 1\n");
    assertThat(f.get("q_depth").help()).isEqualTo("messages\nready");
    assertThat(f.get("q_depth").value("q_depth", Map.of("queue", "a\"b", "x", "c\\d")))
        .hasValue(3.0);
    assertThat(f.get("q_depth").value("q_depth", Map.of("queue", "n\nl")).orElseThrow()).isNaN();
    assertThat(f.get("lat").value("lat_count", Map.of())).hasValue(2000.0);
    assertThat(f.get("untyped_one").type()).isEqualTo("untyped");
  }

  @Test
  void refusesWhatPrometheusRefuses() {
    assertThatThrownBy(() -> PrometheusText.parse("m{a=\"1\",a=\"2\"} 1\n"))
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> PrometheusText.parse("m 1\nm 2\n")).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> PrometheusText.parse("m{a=\"\\x\"} 1\n"))
        .hasMessageContaining("escape");
    assertThatThrownBy(() -> PrometheusText.parse("m{a=\"1\" 1\n"))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> PrometheusText.parse("m one\n")).hasMessageContaining("bad value");
    assertThatThrownBy(() -> PrometheusText.parse("m 1 now\n")).hasMessageContaining("timestamp");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE m gauge\n# TYPE m gauge\n"))
        .hasMessageContaining("second TYPE");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE m meter\n"))
        .hasMessageContaining("unknown type");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE m gauge\nm 1\n# TYPE n gauge\nm 2\n"))
        .hasMessageContaining("not next to its TYPE");
    assertThatThrownBy(() -> PrometheusText.parse("1m 1\n")).hasMessageContaining("metric name");
    assertThatThrownBy(() -> PrometheusText.parse("m 1")).hasMessageContaining("line feed");
  }
}
