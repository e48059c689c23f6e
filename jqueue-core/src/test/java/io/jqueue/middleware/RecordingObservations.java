package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.JQueueHeaders;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An observation handler for tests: records stopped observations and their events, and writes and
 * reads {@link #PARENT} as {@code traceparent} the way a tracing handler would.
 */
final class RecordingObservations implements ObservationHandler<Observation.Context> {
  static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
  final Map<Observation.Context, List<String>> events = new ConcurrentHashMap<>();
  final List<String> extracted = new CopyOnWriteArrayList<>();

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void onStart(Observation.Context context) {
    if (context instanceof SenderContext sender) {
      sender.getSetter().set(sender.getCarrier(), JQueueHeaders.TRACEPARENT, PARENT);
    } else if (context instanceof ReceiverContext receiver) {
      extracted.add(receiver.getGetter().get(receiver.getCarrier(), JQueueHeaders.TRACEPARENT));
    }
  }

  @Override
  public void onEvent(Observation.Event event, Observation.Context context) {
    events.computeIfAbsent(context, c -> new CopyOnWriteArrayList<>()).add(event.getName());
  }

  @Override
  public void onStop(Observation.Context context) {
    stopped.add(context);
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return true;
  }

  /** The only stopped observation. */
  Observation.Context only() {
    assertThat(stopped).hasSize(1);
    return stopped.get(0);
  }

  /** The value of low-cardinality key {@code key} of {@code context}, or null. */
  static String low(Observation.Context context, String key) {
    KeyValue kv = context.getLowCardinalityKeyValue(key);
    return kv == null ? null : kv.getValue();
  }

  /** The first stopped observation named {@code name}. */
  Observation.Context named(String name) {
    return stopped.stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
  }
}
