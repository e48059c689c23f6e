package io.jqueue;

import java.time.Instant;

/**
 * Proof that the broker accepted a message: returned only once the broker has it (embedded:
 * enqueued; RabbitMQ: publisher-confirmed).
 *
 * @param messageId the id of the accepted message
 * @param destination the queue or topic that accepted it
 * @param acceptedAt when the broker accepted it
 */
public record PublishReceipt(String messageId, String destination, Instant acceptedAt) {}
