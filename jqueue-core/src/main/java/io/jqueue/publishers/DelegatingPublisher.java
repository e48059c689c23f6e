package io.jqueue.publishers;

import io.jqueue.BatchResult;
import io.jqueue.BrokerClosedException;
import io.jqueue.Health;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.PublishOutcome;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A publisher that hands each message to one of several publishers, as {@link #route} picks. A
 * batch is split by target, each part published with the target's own {@code publishAll}, and the
 * outcomes put back in the caller's order. Closing stops this publisher only.
 */
abstract class DelegatingPublisher implements Publisher {
  private final String id;
  private final AtomicBoolean closed = new AtomicBoolean();

  DelegatingPublisher(String id) {
    if (id == null || id.isBlank()) {
      throw new ValidationException("publisher id must not be blank");
    }
    this.id = id;
  }

  /**
   * The publisher for {@code message}.
   *
   * @throws JQueueException when no publisher takes it (for example {@link
   *     io.jqueue.UnroutableException})
   */
  abstract Publisher route(Message message);

  /** The publishers this one may hand messages to, each once. */
  abstract List<Publisher> targets();

  @Override
  public final String id() {
    return id;
  }

  @Override
  public PublishReceipt publish(Message message) {
    return route(open(message)).publish(message);
  }

  @Override
  public PublishReceipt publish(Message message, Duration timeout) {
    return route(open(message)).publish(message, timeout);
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message) {
    try {
      return route(open(message)).publishAsync(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public BatchResult publishAll(List<Message> messages) {
    Objects.requireNonNull(messages, "messages");
    PublishOutcome[] outcomes = new PublishOutcome[messages.size()];
    Map<Publisher, List<Integer>> byTarget = new IdentityHashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      try {
        byTarget.computeIfAbsent(route(open(m)), t -> new ArrayList<>()).add(i);
      } catch (JQueueException e) {
        outcomes[i] = new PublishOutcome(m, null, e);
      }
    }
    byTarget.forEach(
        (target, indexes) -> {
          List<Message> part = indexes.stream().map(messages::get).toList();
          List<PublishOutcome> got = target.publishAll(part).outcomes();
          for (int k = 0; k < indexes.size(); k++) {
            outcomes[indexes.get(k)] = got.get(k);
          }
        });
    return new BatchResult(Arrays.asList(outcomes));
  }

  private Message open(Message message) {
    if (closed.get()) {
      throw new BrokerClosedException("publisher '" + id + "' is closed");
    }
    if (message == null) {
      throw new ValidationException("message must not be null");
    }
    return message;
  }

  /**
   * DOWN when closed or when every publisher behind it is DOWN; DEGRADED when some are not UP
   * (messages for the others still go); else UP. Reasons name the publishers.
   */
  @Override
  public Health health() {
    if (closed.get()) {
      return Health.down("publisher '" + id + "' is closed");
    }
    List<Publisher> all = targets();
    Health worst = Health.up();
    int down = 0;
    for (Publisher p : all) {
      Health h = p.health();
      if (h.status() == Health.Status.DOWN) {
        down++;
      }
      if (!h.isUp()) {
        worst = worst.and(new Health(h.status(), "'" + p.id() + "': " + h.reason()));
      }
    }
    if (worst.isUp() || down == all.size()) {
      return worst;
    }
    return Health.degraded(worst.reason());
  }

  /** Whether {@link #close} was called. */
  final boolean isClosed() {
    return closed.get();
  }

  /** Stops taking messages; the publishers it hands messages to stay open. */
  @Override
  public void close(Duration timeout) {
    closed.set(true);
  }
}
