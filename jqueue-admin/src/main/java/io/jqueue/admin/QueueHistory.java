package io.jqueue.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jqueue.Broker;
import io.jqueue.JQueueException;
import io.jqueue.QueueStats;
import io.jqueue.internal.Consumables;
import io.jqueue.internal.NamedThreadFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples every queue's statistics on a fixed period and keeps the last minutes of depth, in
 * flight, delayed, publish rate and ack rate, for the dashboard's charts and the rate columns.
 * Rates are the change of the published and acked counters over one period, per second.
 */
final class QueueHistory implements AutoCloseable {
  /** Series kept per queue, in this order. */
  static final String[] SERIES = {"depth", "inFlight", "delayed", "publishRate", "ackRate"};

  /** Queues whose history is kept; more are still listed, without charts. */
  static final int MAX_CHARTED_QUEUES = 200;

  /** Samples kept per queue: with every queue charted, 200 x 5 x 3600 doubles, about 29 MB. */
  static final int MAX_SAMPLES = 3_600;

  private final Broker broker;
  private final long periodMillis;
  private final int capacity;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("jqueue-admin-sampler"));

  private final long[] times;
  private final Map<String, double[][]> series = new LinkedHashMap<>();
  private final Map<String, Last> last = new HashMap<>();
  private int head = -1;
  private int size;
  private long taken; // samples taken so far: the number of the newest one

  /** The previous sample of one queue: its counters and the rates derived from them. */
  private record Last(
      long atNanos, long published, long acked, double publishRate, double ackRate) {}

  QueueHistory(Broker broker, Duration period, Duration keep) {
    this.broker = broker;
    this.periodMillis = period.toMillis();
    this.capacity = (int) Math.max(2, Math.min(MAX_SAMPLES, keep.toMillis() / periodMillis));
    this.times = new long[capacity];
  }

  void start() {
    timer.scheduleAtFixedRate(this::sampleQuietly, 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      // the broker is closed or unreachable: the next period tries again
    }
  }

  /** Takes one sample of every queue now. */
  void sample() {
    Set<String> queues;
    try {
      queues = Consumables.of(broker);
    } catch (JQueueException e) {
      return;
    }
    Map<String, QueueStats> now = new LinkedHashMap<>();
    for (String q : queues) {
      try {
        now.put(q, broker.stats(q));
      } catch (JQueueException e) {
        // deleted since queues() was read, or the broker is recovering: no point this period
      }
    }
    record(System.currentTimeMillis(), System.nanoTime(), queues, now);
  }

  private synchronized void record(
      long wallMillis, long nanos, Set<String> queues, Map<String, QueueStats> now) {
    head = (head + 1) % capacity;
    size = Math.min(size + 1, capacity);
    taken++;
    times[head] = wallMillis;
    last.keySet().retainAll(queues);
    series.keySet().retainAll(queues);
    for (double[][] kept : series.values()) {
      for (double[] column : kept) {
        column[head] = Double.NaN; // a queue not sampled this period has a gap, not a stale value
      }
    }
    for (Map.Entry<String, QueueStats> e : now.entrySet()) {
      QueueStats s = e.getValue();
      Last prev = last.get(e.getKey());
      double publishRate = 0;
      double ackRate = 0;
      if (prev != null && nanos > prev.atNanos) {
        double seconds = (nanos - prev.atNanos) / 1e9;
        publishRate = Math.max(0, s.published() - prev.published) / seconds;
        ackRate = Math.max(0, s.acked() - prev.acked) / seconds;
      }
      last.put(e.getKey(), new Last(nanos, s.published(), s.acked(), publishRate, ackRate));
      double[][] kept = series.get(e.getKey());
      if (kept == null && series.size() < MAX_CHARTED_QUEUES) {
        kept = new double[SERIES.length][capacity];
        for (double[] column : kept) {
          Arrays.fill(column, Double.NaN);
        }
        series.put(e.getKey(), kept);
      }
      if (kept != null) {
        kept[0][head] = s.ready();
        kept[1][head] = s.inFlight();
        kept[2][head] = s.delayed();
        kept[3][head] = publishRate;
        kept[4][head] = ackRate;
      }
    }
  }

  /** The publish and ack rates of {@code queue} at the last sample, per second. */
  synchronized double[] rates(String queue) {
    Last l = last.get(queue);
    return l == null ? new double[] {0, 0} : new double[] {l.publishRate, l.ackRate};
  }

  /**
   * The kept samples after sample number {@code since} (0 for all), oldest first: {@code
   * {"periodMillis", "capacity", "last", "t": [...], "queues": {name: {series: [...]}}}}, times in
   * epoch milliseconds, a gap as null, {@code last} the number to ask from next time. Numbers, not
   * times, so that two samples in one millisecond or a clock step lose nothing.
   */
  synchronized ObjectNode toJson(long since) {
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("periodMillis", periodMillis);
    out.put("capacity", capacity);
    out.put("last", taken);
    int first = (head - size + 1 + capacity) % capacity;
    long oldest = taken - size; // the number of the sample before the oldest kept
    // a number from the future comes from a page older than this server: it gets everything
    int skip = since > taken ? 0 : (int) Math.max(0, Math.min(size, since - oldest));
    ArrayNode t = out.putArray("t");
    for (int i = skip; i < size; i++) {
      t.add(times[(first + i) % capacity]);
    }
    ObjectNode queues = out.putObject("queues");
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      ObjectNode q = queues.putObject(e.getKey());
      for (int s = 0; s < SERIES.length; s++) {
        ArrayNode values = q.putArray(SERIES[s]);
        double[] column = e.getValue()[s];
        for (int i = skip; i < size; i++) {
          double v = column[(first + i) % capacity];
          if (Double.isNaN(v)) {
            values.addNull();
          } else {
            values.add(Math.round(v * 100) / 100.0);
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
