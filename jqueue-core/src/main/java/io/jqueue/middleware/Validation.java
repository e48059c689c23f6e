package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Refuses a message that lacks what the application requires, before anything is sent: a topic
 * (always), an action and a payload (by default), headers the application names, a payload size,
 * and any rule of its own. Each refusal is a {@link ValidationException} whose {@link
 * ValidationException#field()} names the field.
 *
 * <pre>{@code
 * PublisherOptions.builder().middlewares(
 *     Validation.builder()
 *         .requireHeader("tenant")
 *         .maxPayloadBytes(64 * 1024)
 *         .rule("amount", m -> !m.action().equals("order.created") || m.payloadSize() > 2)
 *         .build())
 * }</pre>
 */
public final class Validation implements AsyncPublishMiddleware {

  /** An application rule: returns normally when {@code message} is valid. */
  @FunctionalInterface
  public interface Validator {
    /**
     * Checks {@code message}.
     *
     * @throws ValidationException when it is not valid (any other exception is wrapped in one)
     */
    void validate(Message message);
  }

  private final boolean requireAction;
  private final boolean requirePayload;
  private final Set<String> requiredHeaders;
  private final int maxPayloadBytes;
  private final List<Validator> validators;

  private Validation(Builder b) {
    this.requireAction = b.requireAction;
    this.requirePayload = b.requirePayload;
    this.requiredHeaders = Set.copyOf(b.requiredHeaders);
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.validators = List.copyOf(b.validators);
  }

  /** The seed's validation: topic, action and a non-empty payload are required. */
  public static Validation required() {
    return builder().build();
  }

  /** A builder requiring topic, action and payload until told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    validate(message);
    return chain.proceed(message);
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    validate(message);
    return chain.proceed(message);
  }

  /**
   * Checks {@code message} without publishing it.
   *
   * @throws ValidationException naming the first field that breaks a rule
   */
  public void validate(Message message) {
    if (message.topic() == null) {
      throw refuse("topic", message, "has no topic; set Message.builder().topic(...)");
    }
    if (requireAction && message.action() == null) {
      throw refuse("action", message, "has no action; set Message.builder().action(...)");
    }
    if (requirePayload && message.payloadSize() == 0) {
      throw refuse(
          "payload", message, "has an empty payload; set data(...), text(...) or payload(...)");
    }
    if (maxPayloadBytes > 0 && message.payloadSize() > maxPayloadBytes) {
      throw refuse(
          "payload",
          message,
          "has a payload of "
              + message.payloadSize()
              + " bytes, over this publisher's validation limit of "
              + maxPayloadBytes);
    }
    for (String header : requiredHeaders) {
      if (message.header(header).isEmpty()) {
        throw refuse("headers." + header, message, "lacks the required header '" + header + "'");
      }
    }
    for (Validator v : validators) {
      try {
        v.validate(message);
      } catch (ValidationException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new ValidationException(
            "message " + message.id() + " was refused by validator " + v + ": " + e, e);
      }
    }
  }

  private static ValidationException refuse(String field, Message message, String what) {
    return ValidationException.forField(
        field, "validation: message " + message.id() + " " + what + " (field '" + field + "')");
  }

  @Override
  public String name() {
    return "validation";
  }

  @Override
  public String toString() {
    return "Validation{requireAction="
        + requireAction
        + ", requirePayload="
        + requirePayload
        + ", requiredHeaders="
        + requiredHeaders
        + ", maxPayloadBytes="
        + maxPayloadBytes
        + ", rules="
        + validators.size()
        + '}';
  }

  /** Builds a {@link Validation}. */
  public static final class Builder {
    private boolean requireAction = true;
    private boolean requirePayload = true;
    private final Set<String> requiredHeaders = new LinkedHashSet<>();
    private int maxPayloadBytes;
    private final List<Validator> validators = new ArrayList<>();

    private Builder() {}

    /** Whether an action is required (default: yes). */
    public Builder requireAction(boolean required) {
      this.requireAction = required;
      return this;
    }

    /** Whether a non-empty payload is required (default: yes). */
    public Builder requirePayload(boolean required) {
      this.requirePayload = required;
      return this;
    }

    /** Requires header {@code name} on every message. */
    public Builder requireHeader(String name) {
      if (name == null || name.isBlank()) {
        throw new ValidationException("a required header name must not be blank");
      }
      requiredHeaders.add(name);
      return this;
    }

    /**
     * Refuses payloads over {@code bytes} (0: no limit of its own; the broker's limits still
     * apply).
     */
    public Builder maxPayloadBytes(int bytes) {
      if (bytes < 0) {
        throw new ValidationException("maxPayloadBytes must not be negative, got " + bytes);
      }
      this.maxPayloadBytes = bytes;
      return this;
    }

    /** Adds an application rule; rules run in the order added, after the built-in checks. */
    public Builder validator(Validator validator) {
      validators.add(Objects.requireNonNull(validator, "validator"));
      return this;
    }

    /**
     * Adds a rule about {@code field}: a message for which {@code valid} is false is refused with a
     * {@link ValidationException} naming {@code field}.
     */
    public Builder rule(String field, java.util.function.Predicate<Message> valid) {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(valid, "valid");
      return validator(
          new Validator() {
            @Override
            public void validate(Message m) {
              if (!valid.test(m)) {
                throw refuse(field, m, "breaks the rule on '" + field + "'");
              }
            }

            @Override
            public String toString() {
              return "rule(" + field + ")";
            }
          });
    }

    /** Builds the middleware. */
    public Validation build() {
      return new Validation(this);
    }
  }
}
