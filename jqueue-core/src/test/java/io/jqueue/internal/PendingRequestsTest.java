package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.BrokerClosedException;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.QueueFullException;
import io.jqueue.RemoteHandlerException;
import io.jqueue.RequestTimeoutException;
import io.jqueue.RequesterStats;
import io.jqueue.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final ManualTimeSource clock = new ManualTimeSource();
  private final List<Runnable> completions = new ArrayList<>(); // run by the test: "other thread"
  private final PendingRequests pending = new PendingRequests("r1", 2, clock, completions::add);

  private void runCompletions() {
    List<Runnable> now = List.copyOf(completions);
    completions.clear();
    now.forEach(Runnable::run);
  }

  private static Message reply(String correlationId, String text) {
    return Message.builder().topic("replies").correlationId(correlationId).text(text).build();
  }

  private static Throwable failure(CompletableFuture<Message> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  @DisplayName("a reply completes its request, on the completion executor, and frees its timer")
  void replyCompletes() {
    CompletableFuture<Message> f = pending.open("c1", "m1", "prices", TIMEOUT);
    assertThat(clock.pendingTasks()).isOne();

    pending.replied(reply("c1", "1.20"));

    assertThat(f).isNotDone(); // not on the thread that delivered the reply
    assertThat(pending.stats()).isEqualTo(new RequesterStats(0, 1, 0, 0, 0));
    assertThat(clock.pendingTasks()).isZero();
    runCompletions();
    assertThat(f.join().text()).isEqualTo("1.20");
  }

  @Test
  @DisplayName(
      "the timeout fires on the clock, not before; the entry is gone and a late reply is dropped")
  void timeoutThenLateReply() {
    CompletableFuture<Message> f = pending.open("c1", "m1", "prices", TIMEOUT);

    clock.advance(Duration.ofMillis(999));
    assertThat(pending.stats().pending()).isOne();
    clock.advance(Duration.ofMillis(1));
    assertThat(pending.stats()).isEqualTo(new RequesterStats(0, 0, 1, 0, 0));
    runCompletions();
    assertThat(failure(f))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining("m1", "c1", "'prices'", "PT1S");

    pending.replied(reply("c1", "too late"));
    pending.replied(reply("c-unknown", "not ours"));
    pending.replied(Message.builder().topic("replies").text("no correlation id").build());
    assertThat(pending.stats()).isEqualTo(new RequesterStats(0, 0, 1, 3, 0));
    assertThat(completions).isEmpty();
  }

  @Test
  @DisplayName("an error reply fails the request with the remote error's class and message")
  void errorReply() {
    CompletableFuture<Message> f = pending.open("c1", "m1", "prices", TIMEOUT);

    pending.replied(
        Message.builder()
            .topic("replies")
            .correlationId("c1")
            .header(JQueueHeaders.ERROR_CLASS, "java.lang.IllegalStateException")
            .header(JQueueHeaders.ERROR_MESSAGE, "no price for mango")
            .build());
    runCompletions();

    RemoteHandlerException e = (RemoteHandlerException) failure(f);
    assertThat(e.remoteErrorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(e.remoteMessage()).isEqualTo("no price for mango");
    assertThat(pending.stats()).isEqualTo(new RequesterStats(0, 0, 0, 0, 1));
  }

  @Test
  @DisplayName("beyond maxInFlight a request fails at once; an answered one frees its place")
  void bounded() {
    pending.open("c1", "m1", "prices", TIMEOUT);
    pending.open("c2", "m2", "prices", TIMEOUT);

    CompletableFuture<Message> third = pending.open("c3", "m3", "prices", TIMEOUT);
    assertThat(failure(third)).isInstanceOf(QueueFullException.class);
    assertThat(((QueueFullException) failure(third)).maxSize()).isEqualTo(2);
    assertThat(clock.pendingTasks()).isEqualTo(2);

    pending.replied(reply("c1", "ok"));
    assertThat(pending.open("c4", "m4", "prices", TIMEOUT)).isNotDone();
    assertThat(pending.stats().pending()).isEqualTo(2);
  }

  @Test
  @DisplayName("a request the caller gives up frees its place and timer; its reply counts as late")
  void givenUp() {
    CompletableFuture<Message> f = pending.open("c1", "m1", "prices", TIMEOUT);

    f.cancel(false);

    assertThat(pending.stats().pending()).isZero();
    assertThat(clock.pendingTasks()).isZero();
    pending.replied(reply("c1", "nobody waits"));
    assertThat(pending.stats().lateReplies()).isOne();
    pending.open("c2", "m2", "prices", TIMEOUT);
    assertThat(pending.open("c3", "m3", "prices", TIMEOUT)).isNotDone(); // both places free
  }

  @Test
  @DisplayName("closing fails every waiting request at once and cancels their timers")
  void closeAll() {
    CompletableFuture<Message> a = pending.open("c1", "m1", "prices", TIMEOUT);
    CompletableFuture<Message> b = pending.open("c2", "m2", "prices", TIMEOUT);

    pending.closeAll();

    assertThat(failure(a)).isInstanceOf(BrokerClosedException.class);
    assertThat(failure(b)).isInstanceOf(BrokerClosedException.class);
    assertThat(clock.pendingTasks()).isZero();
    assertThat(pending.stats().pending()).isZero();
    assertThat(failure(pending.open("c3", "m3", "prices", TIMEOUT)))
        .isInstanceOf(BrokerClosedException.class);
    assertThat(clock.pendingTasks()).isZero();
  }
}
