package io.jqueue.embedded;

import io.jqueue.QueueStats;
import io.jqueue.internal.LatencyHistogram;

/** The counters behind a queue's statistics; guarded by the queue lock (the histogram is not). */
final class QueueCounters {
  long published;
  long acked;
  long failed;
  long retried;
  long deadLettered;
  long expired;
  long dropped;
  long rejected;
  long filtered;
  final LatencyHistogram enqueueToAck = new LatencyHistogram();

  /** Sets every counter (and the latency) on {@code stats}. */
  void addTo(QueueStats.Builder stats) {
    stats
        .published(published)
        .acked(acked)
        .failed(failed)
        .retried(retried)
        .deadLettered(deadLettered)
        .expired(expired)
        .dropped(dropped)
        .filtered(filtered)
        .latency(enqueueToAck.summary());
  }
}
