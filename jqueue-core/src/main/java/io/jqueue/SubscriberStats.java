package io.jqueue;

/**
 * Figures of one push consumer.
 *
 * @param id the consumer id
 * @param processed deliveries its handler completed successfully
 * @param errors deliveries its handler failed
 * @param holding messages it holds now (running or buffered)
 */
public record SubscriberStats(String id, long processed, long errors, int holding) {}
