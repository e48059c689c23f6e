package io.jqueue.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jqueue.CodecException;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.codec.Codec;
import java.lang.reflect.Type;
import java.util.Objects;

/** Decoding and views shared by every broker's deliveries; brokers supply the lease operations. */
public abstract class AbstractDelivery implements InternalDelivery {
  private final Message message;
  private final Codec codec;

  protected AbstractDelivery(Message message, Codec codec) {
    this.message = Objects.requireNonNull(message, "message");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  @Override
  public Message message() {
    return message;
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
  static <T> T decode(Codec codec, Message message, Type type) {
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
