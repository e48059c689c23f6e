package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.jqueue.DeadLetterReason;
import io.jqueue.Message;
import io.jqueue.OverflowPolicy;
import io.jqueue.internal.DeadLetterHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The republishes behind retries and dead-lettering. Each returns only once RabbitMQ confirmed the
 * copy; only then may the caller ack the original, so a message is never in neither place.
 */
final class Moves {
  private final Sender sender;
  private final Admin admin;
  private final RabbitMqConfig config;

  Moves(Sender sender, Admin admin, RabbitMqConfig config) {
    this.sender = sender;
    this.admin = admin;
    this.config = config;
  }

  /** Sends a message that failed {@code failedAttempts} times back for another try after delay. */
  void retry(
      QueueRuntime q, AMQP.BasicProperties props, byte[] body, int failedAttempts, Duration delay) {
    Map<String, Object> headers = cleanHeaders(props);
    headers.put(WireFormat.ATTEMPTS, failedAttempts);
    AMQP.BasicProperties.Builder b = props.builder().headers(headers).expiration(null);
    String target;
    long millis = delay.toMillis();
    if (millis <= 0) {
      target = Topology.retryQueue(q.name);
    } else {
      long bucket = Topology.delayBucket(Math.min(millis, 0xFFFF_FFFFL));
      target = Topology.delayQueue(q.name, bucket);
      if (q.delayBuckets.add(bucket)) {
        try {
          admin.declare(target, Topology.delayArguments(q.name, bucket, config));
        } catch (RuntimeException e) {
          q.delayBuckets.remove(bucket);
          throw e;
        }
      }
      b.expiration(Long.toString(Math.min(millis, bucket)));
    }
    sender.send("", target, q.name, b.build(), body, deadline(), OverflowPolicy.REJECT);
  }

  /** Copies a message into the dead-letter queue of {@code q} with the dead-letter facts. */
  void deadLetter(
      QueueRuntime q,
      AMQP.BasicProperties props,
      byte[] body,
      DeadLetterReason reason,
      Throwable error,
      String detail,
      int attempts) {
    Instant now = Instant.now();
    Message original = WireFormat.toMessage(q.name, props, body);
    Message dead =
        DeadLetterHeaders.stamp(
            original, reason, error, detail, attempts, q.name, original.timestamp(), now);
    // no expiration: a dead letter must never expire out of its queue
    AMQP.BasicProperties deadProps =
        WireFormat.properties(dead, 0, props.getAppId(), Map.of(), now)
            .builder()
            .expiration(null)
            .build();
    sender.send(
        "",
        Topology.deadLetterQueue(q.name),
        q.name,
        deadProps,
        body,
        deadline(),
        OverflowPolicy.REJECT);
  }

  /** Republishes a due retry to the queue itself; a {@code QueueFullException} means wait. */
  void toQueue(QueueRuntime q, AMQP.BasicProperties props, byte[] body) {
    AMQP.BasicProperties clean =
        props.builder().headers(cleanHeaders(props)).expiration(null).build();
    sender.send("", q.name, q.name, clean, body, deadline(), OverflowPolicy.REJECT);
  }

  /** The headers without RabbitMQ's dead-lettering records. */
  static Map<String, Object> cleanHeaders(AMQP.BasicProperties props) {
    Map<String, Object> headers = new LinkedHashMap<>();
    if (props.getHeaders() != null) {
      props
          .getHeaders()
          .forEach(
              (k, v) -> {
                if (!k.startsWith("x-")) {
                  headers.put(k, v);
                }
              });
    }
    return headers;
  }

  private Instant deadline() {
    return Instant.now().plus(config.operationTimeout());
  }
}
