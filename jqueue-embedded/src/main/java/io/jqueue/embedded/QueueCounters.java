package io.jqueue.embedded;

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
  final LatencyHistogram enqueueToAck = new LatencyHistogram();
}
