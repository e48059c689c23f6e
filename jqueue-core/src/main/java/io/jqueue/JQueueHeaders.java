package io.jqueue;

/**
 * Header names jqueue itself sets. The {@code jqueue-} prefix is reserved: brokers overwrite these
 * headers, so applications should not set them.
 */
public final class JQueueHeaders {
  /** Prefix of every header jqueue sets. */
  public static final String PREFIX = "jqueue-";

  /** Delivery attempts made so far (on brokers that carry the count in the message). */
  public static final String ATTEMPTS = "jqueue-attempts";

  /** Why the message was dead-lettered: a {@link DeadLetterReason} name. */
  public static final String DLQ_REASON = "jqueue-dlq-reason";

  /** Class name of the last error before dead-lettering, if any. */
  public static final String DLQ_ERROR_CLASS = "jqueue-dlq-error-class";

  /** Message of the last error, or the reason text given to {@code deadLetter}. */
  public static final String DLQ_ERROR_MESSAGE = "jqueue-dlq-error-message";

  /** Attempts made before dead-lettering. */
  public static final String DLQ_ATTEMPTS = "jqueue-dlq-attempts";

  /** The queue the message was dead-lettered from. */
  public static final String DLQ_ORIGINAL_QUEUE = "jqueue-dlq-original-queue";

  /** When the original queue first accepted the message (ISO-8601). */
  public static final String DLQ_FIRST_ENQUEUED_AT = "jqueue-dlq-first-enqueued-at";

  /** When the message was dead-lettered (ISO-8601). */
  public static final String DLQ_DEAD_LETTERED_AT = "jqueue-dlq-dead-lettered-at";

  private JQueueHeaders() {}

  /**
   * The correlation id that ties a message to the request or conversation it belongs to (see {@link
   * Message.Builder#correlationId}). On RabbitMQ it travels as the AMQP {@code correlation-id}
   * property.
   */
  public static final String CORRELATION_ID = "correlation-id";

  /**
   * Where a reply to this message goes (see {@link Message.Builder#replyTo}). On RabbitMQ it
   * travels as the AMQP {@code reply-to} property.
   */
  public static final String REPLY_TO = "reply-to";

  /**
   * On a reply: the class name of the error the responder threw; its requester fails the request
   * with {@link RemoteHandlerException}. Set only by jqueue (a responder's own value is removed).
   */
  public static final String ERROR_CLASS = "jqueue-error-class";

  /** On a reply carrying {@link #ERROR_CLASS}: the error's message (at most 1000 characters). */
  public static final String ERROR_MESSAGE = "jqueue-error-message";

  /**
   * The W3C Trace Context parent ({@code version-traceid-spanid-flags}), written by a tracing
   * propagator through {@link io.jqueue.middleware.PublishObservation} and read through {@link
   * io.jqueue.middleware.HandleObservation}. Without tracing it is an ordinary header, carried
   * unchanged.
   */
  public static final String TRACEPARENT = "traceparent";

  /** The W3C Trace Context vendor state that goes with {@link #TRACEPARENT}. */
  public static final String TRACESTATE = "tracestate";

  /** The version of the payload's schema, set by the schema-version middleware. */
  public static final String SCHEMA_VERSION = "schema-version";
}
