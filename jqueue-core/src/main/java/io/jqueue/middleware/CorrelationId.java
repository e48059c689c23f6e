package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Gives every published message a correlation id ({@link Message#correlationId()}) that follows a
 * conversation across services: one the message already has is kept; otherwise the current thread's
 * id is used (set by {@link CorrelationIdScope} while a handler runs, or by {@link #callWith}
 * around any code, for example an HTTP request); otherwise the message starts a conversation and
 * its own id becomes the correlation id.
 *
 * <p>The current id is a thread-local: code that hands work to other threads must carry it over
 * itself (capture {@link #current()} and use {@link #callWith} there).
 */
public final class CorrelationId implements AsyncPublishMiddleware {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private CorrelationId() {}

  /** The propagating middleware. */
  public static CorrelationId propagate() {
    return new CorrelationId();
  }

  /** The correlation id of the conversation this thread works for, if any. */
  public static Optional<String> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * Runs {@code work} with {@code correlationId} as this thread's current id, restoring the
   * previous one afterwards; returns what {@code work} returns.
   */
  public static <T> T callWith(String correlationId, Callable<T> work) throws Exception {
    if (correlationId == null || correlationId.isBlank()) {
      throw new ValidationException("correlation id must not be blank");
    }
    Objects.requireNonNull(work, "work");
    String previous = CURRENT.get();
    CURRENT.set(correlationId);
    try {
      return work.call();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** {@link #callWith} for code that returns nothing and throws no checked exception. */
  public static void runWith(String correlationId, Runnable work) {
    Objects.requireNonNull(work, "work");
    try {
      callWith(
          correlationId,
          () -> {
            work.run();
            return null;
          });
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // unreachable: a Runnable throws no checked exception
    }
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    return chain.proceed(correlated(message));
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    return chain.proceed(correlated(message));
  }

  private static Message correlated(Message message) {
    if (message.correlationId().isPresent()) {
      return message;
    }
    String id = current().orElse(message.id());
    return message.toBuilder().correlationId(id).build();
  }

  @Override
  public String name() {
    return "correlation-id";
  }
}
