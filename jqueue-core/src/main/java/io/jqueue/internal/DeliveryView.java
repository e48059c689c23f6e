package io.jqueue.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.codec.Codec;
import io.jqueue.spi.AbstractDelivery;
import io.jqueue.spi.InternalDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A delivery showing another message while settling the original lease. */
public final class DeliveryView implements InternalDelivery {
  private final InternalDelivery origin;
  private final Message message;
  private final Codec codec;

  /** A view of {@code origin} showing {@code message}, decoded with {@code codec}. */
  public DeliveryView(InternalDelivery origin, Message message, Codec codec) {
    this.origin = origin.origin();
    this.message = message;
    this.codec = codec;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public String queue() {
    return origin.queue();
  }

  @Override
  public int attempt() {
    return origin.attempt();
  }

  @Override
  public int maxAttempts() {
    return origin.maxAttempts();
  }

  @Override
  public Instant deadline() {
    return origin.deadline();
  }

  @Override
  public String consumerId() {
    return origin.consumerId();
  }

  @Override
  public <T> T data(Class<T> type) {
    return AbstractDelivery.decode(codec, message, type);
  }

  @Override
  public <T> T data(TypeReference<T> type) {
    return AbstractDelivery.decode(codec, message, type.getType());
  }

  @Override
  public void ack() {
    origin.ack();
  }

  @Override
  public void fail(Throwable error) {
    origin.fail(error);
  }

  @Override
  public void retry() {
    origin.retry();
  }

  @Override
  public void retry(Duration delay) {
    origin.retry(delay);
  }

  @Override
  public void deadLetter(String reason) {
    origin.deadLetter(reason);
  }

  @Override
  public void deadLetter(DeadLetterReason reason, Throwable error) {
    origin.deadLetter(reason, error);
  }

  @Override
  public void extendLease(Duration duration) {
    origin.extendLease(duration);
  }

  @Override
  public boolean isSettled() {
    return origin.isSettled();
  }

  @Override
  public Optional<Outcome> outcome() {
    return origin.outcome();
  }

  @Override
  public boolean isLeaseLost() {
    return origin.isLeaseLost();
  }

  @Override
  public Delivery withMessage(Message replacement) {
    return new DeliveryView(origin, replacement, codec);
  }

  @Override
  public InternalDelivery origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "Delivery{" + message + ", view of " + origin + '}';
  }
}
