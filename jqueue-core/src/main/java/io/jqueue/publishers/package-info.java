/**
 * Publishers composed of other publishers (the seed's advanced usage): {@link
 * io.jqueue.publishers.BatchPublisher} buffers and publishes in batches, {@link
 * io.jqueue.publishers.Router} picks a publisher by topic pattern, {@link
 * io.jqueue.publishers.PriorityPublisher} by priority; and {@link
 * io.jqueue.publishers.RecordingPublisher}, a test double for applications' unit tests. Each is a
 * {@link io.jqueue.Publisher}, so they compose with each other and with {@code publishAsync}. None
 * closes the publishers it is given: their owner does.
 */
package io.jqueue.publishers;
