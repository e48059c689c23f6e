package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jqueue.Message;
import io.jqueue.ValidationException;
import io.jqueue.internal.ConsumePipeline;
import io.jqueue.internal.ConsumePipeline.Result;
import io.jqueue.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HandlerTimeoutTest {
  private final ManualTimeSource clock = new ManualTimeSource();
  private final DeliveryStub delivery =
      new DeliveryStub(Message.builder().topic("orders").text("x").build());

  @Test
  @DisplayName("a handler still running at the timeout: the attempt fails and it is interrupted")
  void timesOut() {
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    ConsumePipeline pipeline =
        new ConsumePipeline(
            List.of(HandlerTimeout.of(Duration.ofSeconds(5), clock)),
            d -> {
              started.countDown();
              try {
                new CountDownLatch(1).await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
              // returns normally after the timeout: too late, must not be acked
            });

    CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> pipeline.run(delivery));
    await().atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0);
    clock.advance(Duration.ofSeconds(5));

    await().atMost(Duration.ofSeconds(10)).until(run::isDone);
    assertThat(interrupted).isTrue();
    assertThat(delivery.outcomes).containsExactly("fail");
    assertThat(delivery.error).isInstanceOf(TimeoutException.class).hasMessageContaining("PT5S");
  }

  @Test
  @DisplayName("a handler that finishes in time is acked, and no interrupt reaches its thread")
  void inTime() throws Exception {
    ConsumePipeline pipeline =
        new ConsumePipeline(List.of(HandlerTimeout.of(Duration.ofSeconds(5), clock)), d -> {});

    Result result = pipeline.run(delivery);
    clock.advance(Duration.ofSeconds(10));

    assertThat(result).isEqualTo(Result.HANDLED);
    assertThat(delivery.outcomes).containsExactly("ack");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  @DisplayName("a timeout that is not positive or over a day is refused")
  void badTimeout() {
    assertThatThrownBy(() -> HandlerTimeout.of(Duration.ZERO))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> HandlerTimeout.of(Duration.ofDays(2)))
        .isInstanceOf(ValidationException.class);
  }
}
