package io.jqueue.rabbitmq;

import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.internal.LatencyHistogram;
import io.jqueue.internal.Saturating;
import io.jqueue.spi.AttemptRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this broker instance knows of one declared queue (or of its dead-letter queue): the spec,
 * routing, and the client-side counters behind the statistics RabbitMQ itself cannot give.
 */
final class QueueRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(QueueRuntime.class);

  final QueueSpec spec;
  final String name;
  final boolean deadLetterQueue;

  /** What follows each delivery of this queue: the one rule every broker carries out. */
  final AttemptRule rule;

  final int partitions;
  final LongAdder published = new LongAdder();
  final LongAdder acked = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder expired = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder filtered = new LongAdder(); // a subscription's filter skipped these
  final LatencyHistogram latency = new LatencyHistogram();
  final AtomicInteger inFlight = new AtomicInteger();
  final Set<Long> delayBuckets = ConcurrentHashMap.newKeySet();
  private final AtomicLong roundRobin = new AtomicLong();

  /**
   * Moves into the dead-letter queue under way: each is counted in {@link #deadLettered} from its
   * start (so the count never lags a dead letter someone can already see), and {@link
   * #deadLetteredArrived} waits for them, so stats never count one the DLQ depth misses.
   */
  private final Object moves = new Object();

  private long movesStarted;
  private final TreeSet<Long> movesUnderWay = new TreeSet<>();

  /**
   * Attempts made on messages of an ordered queue that went back to RabbitMQ unacked (consumer
   * closed, lease ended in a buffer): their header cannot be changed in place, so the count is kept
   * here and honoured when they come back to this process. Bounded: the oldest are forgotten.
   */
  private final Map<String, Integer> attemptsMade =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > 10_000;
        }
      };

  private QueueRuntime(QueueSpec spec, String name, boolean deadLetterQueue, int partitions) {
    this.spec = spec;
    this.name = name;
    this.deadLetterQueue = deadLetterQueue;
    this.partitions = partitions;
    this.rule = deadLetterQueue ? AttemptRule.ofDeadLetterQueue(name, spec) : AttemptRule.of(spec);
  }

  static QueueRuntime of(QueueSpec spec, RabbitMqConfig config) {
    return new QueueRuntime(
        spec, spec.name(), false, spec.ordered() ? config.orderedPartitions() : 0);
  }

  static QueueRuntime deadLetterQueueOf(QueueSpec spec) {
    return new QueueRuntime(spec, Topology.deadLetterQueue(spec.name()), true, 0);
  }

  boolean ordered() {
    return partitions > 0;
  }

  /**
   * The attempt number of a new delivery of a message whose header counts its failed attempts: one
   * more, but never past the last attempt allowed, so a count from a foreign or hostile publisher
   * can neither skip the handler nor overflow.
   */
  int nextAttempt(com.rabbitmq.client.AMQP.BasicProperties props) {
    return rule.nextAttempt(WireFormat.attempts(props));
  }

  /** The RabbitMQ queues holding this queue's deliverable messages. */
  List<String> physicalQueues() {
    if (!ordered()) {
      return List.of(name);
    }
    List<String> out = new ArrayList<>(partitions);
    for (int i = 0; i < partitions; i++) {
      out.add(Topology.partition(name, i));
    }
    return out;
  }

  /** Where {@code m} goes: the queue, or for an ordered queue its key's partition. */
  String routingKey(Message m) {
    if (!ordered()) {
      return name;
    }
    int index =
        m.key().isPresent()
            ? Math.floorMod(m.key().get().hashCode(), partitions)
            : (int) Math.floorMod(roundRobin.getAndIncrement(), (long) partitions);
    return Topology.partition(name, index);
  }

  synchronized void rememberAttempts(String messageId, int attempts) {
    if (attempts > 0) {
      attemptsMade.merge(messageId, attempts, Math::max);
    }
  }

  synchronized void forgetAttempts(String messageId) {
    attemptsMade.remove(messageId);
  }

  /** The attempt number of a delivery whose header says {@code headerAttempt}. */
  synchronized int attemptOf(String messageId, int headerAttempt) {
    Integer made = attemptsMade.get(messageId);
    return made == null ? headerAttempt : Math.max(headerAttempt, made + 1);
  }

  /** A move into the dead-letter queue starts: counted now; returns its ticket. */
  long deadLetterMoveStarts() {
    synchronized (moves) {
      deadLettered.increment();
      long ticket = ++movesStarted;
      movesUnderWay.add(ticket);
      return ticket;
    }
  }

  /** The move of {@code ticket} ended: its copy is in the DLQ ({@code arrived}), or uncounted. */
  void deadLetterMoveEnds(long ticket, boolean arrived) {
    synchronized (moves) {
      if (!arrived) {
        deadLettered.decrement();
      }
      movesUnderWay.remove(ticket);
      moves.notifyAll();
    }
  }

  /**
   * The dead-lettered count once every move into the DLQ started before this call arrived (or
   * failed), waiting no longer than {@code deadline}: a DLQ depth read after it includes every dead
   * letter it counts. Moves still under way then are left out. The deadline is real time: it bounds
   * a wait for RabbitMQ's confirms, which no clock may stretch.
   */
  long deadLetteredArrived(Instant deadline) {
    synchronized (moves) {
      long upTo = movesStarted;
      try {
        long left;
        while (!movesUnderWay.isEmpty()
            && movesUnderWay.first() <= upTo
            && (left = Saturating.millisUntil(Instant.now(), deadline)) > 0) {
          moves.wait(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // a move still under way (started meanwhile, or past the deadline) is left out
      return deadLettered.sum() - movesUnderWay.size();
    }
  }
}
