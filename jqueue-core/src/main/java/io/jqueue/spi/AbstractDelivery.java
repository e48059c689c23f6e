package io.jqueue.spi;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jqueue.CodecException;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.codec.Codec;
import io.jqueue.internal.Checks;
import io.jqueue.internal.DeliveryView;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What every broker's deliveries share: the message, where it came from, which attempt this is,
 * decoding and views. Brokers supply the lease operations.
 */
public abstract class AbstractDelivery implements InternalDelivery {
  private final Message message;
  private final Codec codec;
  private final String queue;
  private final int attempt;
  private final AttemptRule rule;
  private final String consumerId;
  private volatile Outcome outcome;

  /**
   * A delivery of {@code message} from {@code queue}, attempt {@code attempt} of what {@code rule}
   * allows, held by {@code consumerId} and decoded with {@code codec}.
   */
  protected AbstractDelivery(
      Message message,
      Codec codec,
      String queue,
      int attempt,
      AttemptRule rule,
      String consumerId) {
    this.message = Objects.requireNonNull(message, "message");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.attempt = attempt;
    this.rule = Objects.requireNonNull(rule, "rule");
    this.consumerId = Objects.requireNonNull(consumerId, "consumerId");
  }

  @Override
  public final Message message() {
    return message;
  }

  @Override
  public final String queue() {
    return queue;
  }

  @Override
  public final int attempt() {
    return attempt;
  }

  @Override
  public final int maxAttempts() {
    return rule.maxAttempts();
  }

  @Override
  public final String consumerId() {
    return consumerId;
  }

  // ---- outcomes: recorded here, carried out by the broker -----------------------------------

  /** Acknowledges: the broker forgets the message. Throws as {@link Delivery#ack()} says. */
  protected abstract void settleAck();

  /**
   * The attempt failed with {@code error} (null for {@code retry}); the next one waits {@code
   * delay} (null: the queue's backoff), or the message is dead-lettered after the last attempt, as
   * {@link AttemptRule#afterFailure} decides.
   */
  protected abstract void settleFailure(Throwable error, Duration delay);

  /** Dead-letters with {@code reason} and the {@code error} or {@code detail} text. */
  protected abstract void settleDeadLetter(DeadLetterReason reason, Throwable error, String detail);

  @Override
  public final void ack() {
    settleAck();
    outcome = Outcome.ACKED;
  }

  @Override
  public final void fail(Throwable error) {
    settleFailure(Objects.requireNonNull(error, "error"), null);
    outcome = Outcome.FAILED;
  }

  @Override
  public final void retry() {
    settleFailure(null, null);
    outcome = Outcome.FAILED;
  }

  @Override
  public final void retry(Duration delay) {
    settleFailure(null, Checks.retryDelay(delay));
    outcome = Outcome.FAILED;
  }

  @Override
  public final void deadLetter(String reason) {
    settleDeadLetter(DeadLetterReason.REJECTED, null, reason);
    outcome = Outcome.DEAD_LETTERED;
  }

  @Override
  public final void deadLetter(DeadLetterReason reason, Throwable error) {
    settleDeadLetter(Objects.requireNonNull(reason, "reason"), error, null);
    outcome = Outcome.DEAD_LETTERED;
  }

  @Override
  public final Optional<Outcome> outcome() {
    Outcome o = outcome;
    if (o != null) {
      return Optional.of(o);
    }
    return isLeaseLost() ? Optional.of(Outcome.LEASE_LOST) : Optional.empty();
  }

  /** What decides what follows this delivery. */
  protected final AttemptRule rule() {
    return rule;
  }

  @Override
  public <T> T data(Class<T> type) {
    return decode(codec, message, type);
  }

  @Override
  public <T> T data(TypeReference<T> type) {
    return decode(codec, message, type.getType());
  }

  @Override
  public Delivery withMessage(Message replacement) {
    return new DeliveryView(this, replacement, codec);
  }

  /** The codec used by {@link #data}. */
  protected Codec codec() {
    return codec;
  }

  /**
   * Decodes with {@code codec}, turning any failure into a {@link CodecException} so a buggy codec
   * cannot make a poison message look retryable.
   */
  public static <T> T decode(Codec codec, Message message, Type type) {
    try {
      return codec.decode(message.payload(), type);
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CodecException(
          "codec " + codec + " failed to decode message " + message.id() + " as " + type, e);
    }
  }
}
