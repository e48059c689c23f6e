package io.jqueue.testkit;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context propagator for Micrometer's {@code SimpleTracer}, which ships none: it writes
 * {@code traceparent} as {@code 00-<trace id>-<span id>-<flags>} and a {@code tracestate} naming
 * the span, and reads {@code traceparent} back. The simple tracer's 64-bit trace ids travel
 * left-padded to 128 bits and come back unpadded, as Brave does.
 */
final class W3cTraceContext implements Propagator {
  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";
  static final String STATE_KEY = "contract";

  private static final Pattern FORMAT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String ZEROS = "0".repeat(32);

  private final Tracer tracer;

  W3cTraceContext(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public List<String> fields() {
    return List.of(TRACEPARENT, TRACESTATE);
  }

  @Override
  public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
    String flags = Boolean.FALSE.equals(context.sampled()) ? "00" : "01";
    String parent =
        "00-" + padded(context.traceId(), 32) + '-' + padded(context.spanId(), 16) + '-' + flags;
    setter.set(carrier, TRACEPARENT, parent);
    setter.set(carrier, TRACESTATE, STATE_KEY + '=' + context.spanId());
  }

  @Override
  public <C> Span.Builder extract(C carrier, Getter<C> getter) {
    String parent = getter.get(carrier, TRACEPARENT);
    Matcher m = parent == null ? null : FORMAT.matcher(parent);
    if (m == null || !m.matches()) {
      return tracer.spanBuilder();
    }
    String traceId = m.group(1).startsWith("0".repeat(16)) ? m.group(1).substring(16) : m.group(1);
    TraceContext context =
        tracer
            .traceContextBuilder()
            .traceId(traceId)
            .spanId(m.group(2))
            .sampled("01".equals(m.group(3)))
            .build();
    return tracer.spanBuilder().setParent(context);
  }

  private static String padded(String hex, int length) {
    return hex.length() >= length ? hex : ZEROS.substring(0, length - hex.length()) + hex;
  }
}
