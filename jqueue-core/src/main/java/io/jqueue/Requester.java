package io.jqueue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends requests and matches their replies (SPEC §6), from {@link Broker#requester()}; a {@link
 * Broker#respond responder} answers them. Thread-safe.
 *
 * <pre>{@code
 * try (Requester requester = broker.requester()) {
 *   Message reply = requester.request(Message.builder().topic("prices").text("apple").build(),
 *       Duration.ofSeconds(5)).join();
 * }
 * }</pre>
 *
 * <p>Each request gets a fresh correlation id and the requester's reply-to address, passes the
 * requester's publish chain ({@link RequesterOptions#publisher()}) and waits for the reply with the
 * same correlation id. A reply that comes after its request timed out, or that matches no request
 * of this requester, is dropped and counted ({@link RequesterStats#lateReplies()}); it never
 * completes another request. Futures complete on the requester's own threads, never on a broker
 * thread or its clock, so what a caller chains onto them cannot stall the broker.
 */
public interface Requester extends AutoCloseable {

  /** This requester's id, from {@link RequesterOptions#id()}. */
  String id();

  /**
   * Publishes {@code request} to its topic (a queue someone {@link Broker#respond responds} on) and
   * returns the reply. The correlation id and reply-to of {@code request} are replaced. The future
   * completes with the reply (its topic is the reply's destination, not the request's), or
   * exceptionally with:
   *
   * <ul>
   *   <li>{@link RequestTimeoutException} when no reply came within {@code timeout}, counted from
   *       this call; the request may still be handled, so responders should be idempotent;
   *   <li>{@link RemoteHandlerException} when the responder threw (its class and message are
   *       carried over);
   *   <li>{@link QueueFullException} at once, without publishing, when {@link
   *       RequesterOptions#maxInFlight()} requests are already waiting: back-pressure, so wait for
   *       replies and try again ({@link JQueueException#isTransient} says so);
   *   <li>{@link BrokerClosedException} when this requester or its broker is closed first;
   *   <li>any error the publish itself has ({@link DestinationNotFoundException} when the queue was
   *       never declared, {@link ValidationException}, {@link PublishTimeoutException}, ...).
   * </ul>
   *
   * <p>Completing or cancelling the returned future yourself gives up the request: its place is
   * freed and a reply that still comes is counted as late.
   *
   * @throws ValidationException when {@code timeout} is not positive or {@code request} has no
   *     topic
   * @throws NullPointerException when {@code request} is null
   */
  CompletableFuture<Message> request(Message request, Duration timeout);

  /** A snapshot of this requester's figures. */
  RequesterStats stats();

  /**
   * Fails every waiting request with {@link BrokerClosedException}, stops taking replies and
   * releases what the requester holds (its reply consumer, publisher, timers and threads).
   * Idempotent; requests made afterwards fail with {@link BrokerClosedException}.
   */
  @Override
  void close();
}
