package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.jqueue.DeadLetterReason;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.ExpiryPolicy;
import io.jqueue.JQueueHeaders;
import io.jqueue.MessageLimits;
import io.jqueue.MessageTooLargeException;
import io.jqueue.OverflowPolicy;
import io.jqueue.QueueFullException;
import io.jqueue.internal.DeadLetterHeaders;
import io.jqueue.internal.Names;
import io.jqueue.internal.Saturating;
import io.jqueue.internal.Utf8;
import io.jqueue.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The republishes behind retries and dead-lettering. Each returns only once RabbitMQ confirmed the
 * copy (mandatory, so a copy that reached no queue fails); only then may the caller ack the
 * original, so a message is never in neither place. Copies keep every AMQP property of the original
 * (correlation id, reply-to, encoding, ...) and change only jqueue's headers.
 */
final class Moves {
  /** Names the headers a move had to leave out, with their sizes. */
  static final String DROPPED_HEADERS = "jqueue-dropped-headers";

  private static final Logger LOG = LoggerFactory.getLogger(Moves.class);

  private final Sender sender;
  private final Admin admin;
  private final RabbitMqConfig config;
  private final TimeSource clock;

  Moves(Sender sender, Admin admin, RabbitMqConfig config, TimeSource clock) {
    this.sender = sender;
    this.admin = admin;
    this.config = config;
    this.clock = clock;
  }

  /**
   * The deadline of an internal move started now. Real time, not the clock: it bounds the wait for
   * RabbitMQ's confirm, which a manual clock must never stretch or cut short.
   */
  Instant deadline() {
    return Saturating.deadlineAfter(config.operationTimeout());
  }

  /**
   * Sends a message that failed {@code failedAttempts} times back for another try after {@code
   * delay}: into a delay queue, or for no delay straight into {@code q} (into {@code q:retry},
   * whose mover waits for room, when {@code q} is full).
   *
   * <p>Straight into {@code q}: RabbitMQ hands the copy to a consumer with room the moment it is
   * enqueued, while the caller still holds the original unacked. So the consumer whose handler hung
   * on the attempt before has no room for it (unless its prefetch leaves room beyond that handler)
   * and another consumer gets it. Through the mover it arrived some milliseconds after that ack,
   * and often went back to the consumer that had just hung on it.
   */
  void retry(
      QueueRuntime q,
      AMQP.BasicProperties props,
      byte[] body,
      int failedAttempts,
      Duration delay,
      Instant deadline) {
    Map<String, Object> headers = cleanHeaders(props);
    headers.put(WireFormat.ATTEMPTS, failedAttempts);
    AMQP.BasicProperties.Builder b = props.builder().headers(headers).expiration(null);
    long millis = Saturating.toMillis(delay);
    if (millis <= 0) {
      try {
        toQueue(q, b.build(), body, deadline);
      } catch (QueueFullException e) {
        send(Topology.retryQueue(q.name), q, b.build(), body, deadline);
      }
      return;
    }
    long bucket = Topology.delayBucket(Math.min(millis, 0xFFFF_FFFFL));
    b.expiration(Long.toString(Math.min(millis, bucket)));
    try {
      send(delayQueue(q, bucket), q, b.build(), body, deadline);
    } catch (DestinationNotFoundException e) {
      // someone deleted the delay queue since we declared it: declare it again, once
      q.delayBuckets.remove(bucket);
      send(delayQueue(q, bucket), q, b.build(), body, deadline);
    }
  }

  private String delayQueue(QueueRuntime q, long bucket) {
    String name = Topology.delayQueue(q.name, bucket);
    if (!q.delayBuckets.contains(bucket)) {
      // known only once declared: concurrent movers wait for the declare, and statistics never
      // count a delay queue that does not exist yet
      synchronized (q.delayBuckets) {
        if (!q.delayBuckets.contains(bucket)) {
          admin.declare(name, Topology.delayArguments(q.name, bucket, config));
          q.delayBuckets.add(bucket);
        }
      }
    }
    return name;
  }

  /** Copies a message into the dead-letter queue of {@code q} with the dead-letter facts. */
  void deadLetter(
      QueueRuntime q,
      AMQP.BasicProperties props,
      byte[] body,
      DeadLetterReason reason,
      Throwable error,
      String detail,
      int attempts,
      Instant deadline) {
    props = WireFormat.identified(props); // a message that came without an id keeps this one
    Map<String, Object> headers = cleanHeaders(props);
    DeadLetterHeaders.NAMES.forEach(headers::remove);
    Instant firstEnqueued =
        WireFormat.toMessage(q.name, props, new byte[0]).timestamp(); // jqueue-timestamp if set
    headers.putAll(
        DeadLetterHeaders.facts(
            reason, error, detail, attempts, q.name, firstEnqueued, clock.now()));
    // no expiration: a dead letter must never expire out of its queue
    AMQP.BasicProperties dead = props.builder().headers(headers).expiration(null).build();
    send(Topology.deadLetterQueue(q.name), q, dead, body, deadline);
  }

  /**
   * Republishes a due retry into the queue itself. A {@code QueueFullException} means: wait. A
   * message whose own TTL ran out meanwhile (on the clock) is {@link #expire}d instead.
   */
  void toQueue(QueueRuntime q, AMQP.BasicProperties props, byte[] body, Instant deadline) {
    AMQP.BasicProperties.Builder b = props.builder().headers(cleanHeaders(props)).expiration(null);
    Optional<Instant> expiresAt = WireFormat.expiresAt(props);
    if (expiresAt.isPresent()) {
      long left = Saturating.millisUntil(clock.now(), expiresAt.get());
      if (left <= 0) {
        String why = "its TTL ran out while it waited to be retried";
        expire(q, props, body, WireFormat.attempts(props), why, deadline);
        return;
      }
      b.expiration(Long.toString(Math.min(left, 0xFFFF_FFFFL)));
    }
    send(q.name, q, b.build(), body, deadline);
  }

  /**
   * Expires a message of {@code q} whose TTL ran out before a handler got it, as the queue's expiry
   * policy says: counted expired, then dropped ({@code DROP}) or moved (confirmed) into the
   * dead-letter queue as {@code EXPIRED} with {@code attempts} failed attempts. When the move fails
   * it throws and counts nothing.
   */
  void expire(
      QueueRuntime q,
      AMQP.BasicProperties props,
      byte[] body,
      int attempts,
      String why,
      Instant deadline) {
    q.expired.increment(); // before the move, so stats never lag the dead-letter queue
    if (q.spec.expiryPolicy() == ExpiryPolicy.DROP) {
      q.dropped.increment();
      LOG.debug("message {} of '{}' expired and was dropped", props.getMessageId(), q.name);
      return;
    }
    long ticket = q.deadLetterMoveStarts();
    boolean arrived = false;
    try {
      deadLetter(q, props, body, DeadLetterReason.EXPIRED, null, why, attempts, deadline);
      arrived = true;
    } finally {
      q.deadLetterMoveEnds(ticket, arrived);
      if (!arrived) {
        q.expired.decrement();
      }
    }
  }

  /**
   * Puts a copy of a dead letter back at the end of its dead-letter queue with one more failed
   * attempt counted (a failing dead-letter consumer backs off further each time).
   */
  void backIntoDeadLetterQueue(
      QueueRuntime dlq,
      AMQP.BasicProperties props,
      byte[] body,
      int failedAttempts,
      Instant deadline) {
    Map<String, Object> headers = cleanHeaders(props);
    headers.put(WireFormat.ATTEMPTS, failedAttempts);
    send(dlq.name, dlq, props.builder().headers(headers).expiration(null).build(), body, deadline);
  }

  /**
   * Sends a move and waits for its confirm. A copy RabbitMQ cannot carry, because the message came
   * (from another client) with headers that leave no room for jqueue's own, is sent again without
   * its largest headers, which {@value #DROPPED_HEADERS} names, rather than retried for ever: the
   * message moves on, and what it lost is said in the copy and in the log.
   */
  private void send(
      String target, QueueRuntime q, AMQP.BasicProperties props, byte[] body, Instant deadline) {
    try {
      sender.send("", target, q.name, props, body, deadline, OverflowPolicy.REJECT, true);
    } catch (MessageTooLargeException e) {
      AMQP.BasicProperties trimmed = withoutLargestHeaders(props);
      LOG.warn(
          "message {} of '{}' has headers too large for jqueue to move it as it is ({}); moving"
              + " it without: {}",
          props.getMessageId(),
          q.name,
          e.getMessage(),
          trimmed.getHeaders().get(DROPPED_HEADERS));
      sender.send("", target, q.name, trimmed, body, deadline, OverflowPolicy.REJECT, true);
    }
  }

  /**
   * {@code props} without its largest application headers (jqueue's own are kept), until the rest
   * fit the default header limit; the dropped ones are named, with their sizes, in {@value
   * #DROPPED_HEADERS}.
   */
  static AMQP.BasicProperties withoutLargestHeaders(AMQP.BasicProperties props) {
    Map<String, Object> headers = new LinkedHashMap<>(props.getHeaders());
    Map<String, Long> sizes = new LinkedHashMap<>();
    long total = 0;
    for (Map.Entry<String, Object> h : headers.entrySet()) {
      if (!h.getKey().startsWith(JQueueHeaders.PREFIX)) {
        long size = Utf8.length(h.getKey()) + Utf8.length(HeaderText.of(h.getValue()));
        sizes.put(h.getKey(), size);
        total += size;
      }
    }
    List<String> dropped = new ArrayList<>();
    List<Map.Entry<String, Long>> largestFirst = new ArrayList<>(sizes.entrySet());
    largestFirst.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> h : largestFirst) {
      if (total <= MessageLimits.DEFAULT_MAX_HEADER_BYTES / 2) {
        break;
      }
      headers.remove(h.getKey());
      total -= h.getValue();
      dropped.add(h.getKey() + " (" + h.getValue() + " bytes)");
    }
    headers.put(DROPPED_HEADERS, String.join(", ", dropped));
    return props.builder().headers(headers).build();
  }

  /**
   * The headers without those RabbitMQ writes itself (its dead-lettering records) and the last
   * publish's id; the application's own headers, {@code x-} names included, travel on.
   */
  static Map<String, Object> cleanHeaders(AMQP.BasicProperties props) {
    Map<String, Object> headers = new LinkedHashMap<>();
    if (props.getHeaders() != null) {
      props
          .getHeaders()
          .forEach(
              (k, v) -> {
                if (!Names.isBrokerHeader(k) && !k.equals(WireFormat.PUBLISH_ID)) {
                  headers.put(k, v);
                }
              });
    }
    return headers;
  }
}
