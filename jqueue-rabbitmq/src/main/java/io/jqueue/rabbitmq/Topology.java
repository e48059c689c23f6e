package io.jqueue.rabbitmq;

import io.jqueue.ConfigurationException;
import io.jqueue.QueueSpec;
import io.jqueue.internal.Saturating;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The RabbitMQ queues behind one jqueue queue {@code q}, their names and arguments:
 *
 * <ul>
 *   <li>{@code q} — the queue itself ({@code x-max-length} with {@code reject-publish}, {@code
 *       x-message-ttl}, {@code x-max-priority}); expired messages dead-letter to {@code q:expired}
 *   <li>{@code q:p0..} — for an ordered queue, its partitions instead (single active consumer)
 *   <li>{@code q.dlq} — the dead-letter queue
 *   <li>{@code q:delay:<ms>} — one per retry delay: holds a failed message for that long, then
 *       dead-letters it to {@code q:retry}
 *   <li>{@code q:retry} — retries that are due; jqueue republishes them to {@code q} with a
 *       confirm, waiting while {@code q} is full (RabbitMQ's own dead-lettering is not confirmed
 *       and would drop them at a full queue)
 *   <li>{@code q:expired} — expired messages, which jqueue stamps and moves to {@code q.dlq}
 * </ul>
 */
final class Topology {
  /** The longest suffix jqueue adds: ":delay:" and a 10-digit number of milliseconds. */
  static final int LONGEST_SUFFIX = 17;

  /** Names jqueue gives its own queues; user queues may not look like them. */
  static final java.util.regex.Pattern INTERNAL =
      java.util.regex.Pattern.compile(":(retry|expired|retained|p\\d+|delay:\\d+)$");

  private Topology() {}

  /** What RabbitMQ offers with queues of {@code type} (quorum queues have no priorities). */
  static io.jqueue.BrokerCapabilities capabilities(RabbitMqConfig.QueueType type) {
    java.util.EnumSet<io.jqueue.Capability> caps =
        java.util.EnumSet.of(
            io.jqueue.Capability.ORDERED_QUEUES,
            io.jqueue.Capability.OVERFLOW_BLOCK,
            io.jqueue.Capability.LATENCY_STATS,
            io.jqueue.Capability.MESSAGE_TTL,
            io.jqueue.Capability.TOPICS,
            io.jqueue.Capability.REPLAY);
    if (type == RabbitMqConfig.QueueType.CLASSIC) {
      caps.add(io.jqueue.Capability.PRIORITY_QUEUES);
    }
    return new io.jqueue.BrokerCapabilities("rabbitmq", caps);
  }

  static String deadLetterQueue(String q) {
    return q + ".dlq";
  }

  static String retryQueue(String q) {
    return q + ":retry";
  }

  static String expiredQueue(String q) {
    return q + ":expired";
  }

  static String delayQueue(String q, long millis) {
    return q + ":delay:" + millis;
  }

  static String partition(String q, int index) {
    return q + ":p" + index;
  }

  /** Refuses specs RabbitMQ cannot honour, with the reason. */
  static void check(QueueSpec spec, RabbitMqConfig config) {
    if (spec.name().getBytes(StandardCharsets.UTF_8).length > 255 - LONGEST_SUFFIX) {
      throw new ConfigurationException(
          "queue name '"
              + spec.name()
              + "' is too long for RabbitMQ: jqueue adds suffixes of up to "
              + LONGEST_SUFFIX
              + " bytes and RabbitMQ allows 255; use at most "
              + (255 - LONGEST_SUFFIX)
              + " bytes");
    }
    if (spec.deadLetterMaxSize() > 0) {
      throw new ConfigurationException(
          "deadLetterMaxSize is not supported on RabbitMQ: RabbitMQ drops the oldest dead letters"
              + " of a bounded queue without telling anyone, so jqueue could not count them");
    }
    if (INTERNAL.matcher(spec.name()).find()) {
      throw new ConfigurationException(
          "queue name '"
              + spec.name()
              + "' ends like one of jqueue's own RabbitMQ queues (:retry, :expired, :p<n>,"
              + " :delay:<n>); choose another name");
    }
    if (spec.ordered() && spec.maxSize() % config.orderedPartitions() != 0) {
      throw new ConfigurationException(
          "ordered queue '"
              + spec.name()
              + "' has maxSize "
              + spec.maxSize()
              + ", which RabbitMQ would split unevenly over its "
              + config.orderedPartitions()
              + " partitions; use a multiple of orderedPartitions so the bound is exact");
    }
    if (config.queueType() == RabbitMqConfig.QueueType.QUORUM && spec.maxPriority() > 0) {
      throw new ConfigurationException(
          "quorum queues do not support maxPriority; use classic queues for priorities");
    }
  }

  /** Arguments of the queue itself, or of each of its {@code partitions} (0: not ordered). */
  static Map<String, Object> mainArguments(QueueSpec spec, RabbitMqConfig config, int partitions) {
    Map<String, Object> args = typed(config);
    if (spec.maxSize() > 0) {
      // split evenly across partitions (check() refuses a bound that does not divide)
      long perQueue = partitions > 1 ? spec.maxSize() / partitions : spec.maxSize();
      // a quorum queue refuses a publish only once it is already past its limit (3.10: it takes
      // limit + 1), so its limit is one less
      boolean quorum = config.queueType() == RabbitMqConfig.QueueType.QUORUM;
      args.put("x-max-length", quorum ? perQueue - 1 : perQueue);
      args.put("x-overflow", "reject-publish");
    }
    atLeastOnceDeadLettering(args, config);
    spec.messageTtl().ifPresent(ttl -> args.put("x-message-ttl", Saturating.toMillis(ttl)));
    args.put("x-dead-letter-exchange", "");
    args.put("x-dead-letter-routing-key", expiredQueue(spec.name()));
    if (spec.maxPriority() > 0) {
      args.put("x-max-priority", spec.maxPriority());
    }
    if (partitions > 0) {
      args.put("x-single-active-consumer", true);
    }
    return args;
  }

  /** Arguments of the dead-letter, retry and expired queues. */
  static Map<String, Object> plainArguments(RabbitMqConfig config) {
    return typed(config);
  }

  /** Arguments of a delay queue: hold for {@code millis}, then dead-letter to the retry queue. */
  static Map<String, Object> delayArguments(String q, long millis, RabbitMqConfig config) {
    Map<String, Object> args = typed(config);
    args.put("x-message-ttl", millis);
    args.put("x-dead-letter-exchange", "");
    args.put("x-dead-letter-routing-key", retryQueue(q));
    atLeastOnceDeadLettering(args, config);
    return args;
  }

  /**
   * Quorum queues can dead-letter with internal publisher confirms (RabbitMQ 3.10+); it requires
   * the reject-publish overflow on the source. Classic queues dead-letter at most once, into
   * jqueue's unbounded holding queues.
   */
  private static void atLeastOnceDeadLettering(Map<String, Object> args, RabbitMqConfig config) {
    if (config.queueType() == RabbitMqConfig.QueueType.QUORUM) {
      args.put("x-dead-letter-strategy", "at-least-once");
      args.put("x-overflow", "reject-publish");
    }
  }

  /**
   * The delay queue length for a wanted delay: two significant digits, rounded up, so a few queues
   * serve every delay; the message's own expiration gives the exact delay.
   */
  static long delayBucket(long millis) {
    if (millis < 100) {
      return Math.max(1, millis);
    }
    long scale = 1;
    while (millis / scale >= 100) {
      scale *= 10;
    }
    return ((millis + scale - 1) / scale) * scale;
  }

  private static Map<String, Object> typed(RabbitMqConfig config) {
    Map<String, Object> args = new HashMap<>();
    if (config.queueType() == RabbitMqConfig.QueueType.QUORUM) {
      args.put("x-queue-type", "quorum");
    }
    return args;
  }
}
