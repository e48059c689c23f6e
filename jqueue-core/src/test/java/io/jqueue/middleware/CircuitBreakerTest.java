package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.CircuitOpenException;
import io.jqueue.Health;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import io.jqueue.middleware.CircuitBreaker.State;
import io.jqueue.time.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
  private final Downstream broker = new Downstream();

  /** The rest of the chain: fails with {@link #failWith} when set, counts the calls it gets. */
  static final class Downstream implements PublishChain {
    volatile RuntimeException failWith;
    volatile Consumer<Message> during = m -> {};
    int calls;

    @Override
    public PublishReceipt proceed(Message message) {
      calls++;
      during.accept(message);
      RuntimeException e = failWith;
      if (e != null) {
        throw e;
      }
      return new PublishReceipt(message.id(), message.topic(), Instant.now());
    }

    @Override
    public Instant deadline() {
      return Instant.now().plusSeconds(60);
    }

    @Override
    public String publisherId() {
      return "test";
    }
  }

  private CircuitBreaker.Builder breaker() {
    return CircuitBreaker.builder()
        .name("orders")
        .failureThreshold(3)
        .openWait(WAIT)
        .timeSource(time);
  }

  private static Message message() {
    return Message.builder().topic("orders").text("hi").build();
  }

  private void fail(CircuitBreaker cb, int times) {
    broker.failWith = new BrokerUnavailableException("connection lost");
    for (int i = 0; i < times; i++) {
      assertThatThrownBy(() -> cb.publish(message(), broker))
          .isInstanceOf(BrokerUnavailableException.class);
    }
    broker.failWith = null;
  }

  private CircuitBreaker opened(CircuitBreaker cb) {
    fail(cb, 3);
    assertThat(cb.state()).isEqualTo(State.OPEN);
    return cb;
  }

  @Nested
  @DisplayName("opening")
  class Opening {
    @Test
    @DisplayName("it opens after failureThreshold failures in a row, not before")
    void opensAtThreshold() {
      CircuitBreaker cb = breaker().build();

      fail(cb, 2);
      assertThat(cb.state()).isEqualTo(State.CLOSED);
      fail(cb, 1);

      assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    @DisplayName("a success between failures starts the count again")
    void successResets() {
      CircuitBreaker cb = breaker().build();

      fail(cb, 2);
      cb.publish(message(), broker);
      fail(cb, 2);

      assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    @DisplayName(
        "a validation error or an unknown error neither opens it nor breaks a run of failures")
    void permanentErrorsIgnored() {
      CircuitBreaker cb = breaker().build();
      broker.failWith = new ValidationException("no topic");
      for (int i = 0; i < 10; i++) {
        assertThatThrownBy(() -> cb.publish(message(), broker))
            .isInstanceOf(ValidationException.class);
      }
      broker.failWith = new IllegalStateException("a bug");
      assertThatThrownBy(() -> cb.publish(message(), broker))
          .isInstanceOf(IllegalStateException.class);
      assertThat(cb.state()).isEqualTo(State.CLOSED);

      fail(cb, 2);
      broker.failWith = new ValidationException("no topic");
      assertThatThrownBy(() -> cb.publish(message(), broker));
      fail(cb, 1);

      assertThat(cb.state())
          .as("2 + 1 failures in a row, the validation error between")
          .isEqualTo(State.OPEN);
    }

    @Test
    @DisplayName("a custom predicate decides which errors count")
    void customPredicate() {
      CircuitBreaker cb = breaker().countFailures(e -> e instanceof IllegalStateException).build();
      broker.failWith = new IllegalStateException("counts now");
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> cb.publish(message(), broker));
      }
      assertThat(cb.state()).isEqualTo(State.OPEN);
    }
  }

  @Nested
  @DisplayName("while open")
  class WhileOpen {
    @Test
    @DisplayName("it fails fast with CircuitOpenException without calling the broker")
    void failsFast() {
      CircuitBreaker cb = opened(breaker().build());
      int calls = broker.calls;

      assertThatThrownBy(() -> cb.publish(message(), broker))
          .isInstanceOf(CircuitOpenException.class)
          .hasMessageContaining("'orders' is open after 3 failed publishes")
          .hasMessageContaining("not sent")
          .hasCauseInstanceOf(BrokerUnavailableException.class);
      time.advance(WAIT); // not past it yet
      assertThatThrownBy(() -> cb.publish(message(), broker))
          .isInstanceOf(CircuitOpenException.class);

      assertThat(broker.calls).isEqualTo(calls);
    }

    @Test
    @DisplayName("its health is DOWN, saying the circuit is open")
    void healthDown() {
      CircuitBreaker cb = breaker().build();
      assertThat(cb.health()).isEqualTo(Health.up());

      opened(cb);

      assertThat(cb.health().status()).isEqualTo(Health.Status.DOWN);
      assertThat(cb.health().reason()).contains("circuit breaker 'orders' is open");
    }
  }

  @Nested
  @DisplayName("probing")
  class Probing {
    @Test
    @DisplayName("after the wait one probe goes through; others are refused while it runs")
    void probeAfterWait() {
      CircuitBreaker cb = opened(breaker().build());
      time.advance(WAIT.plusMillis(1));
      AtomicReference<Throwable> concurrent = new AtomicReference<>();
      AtomicReference<State> stateDuring = new AtomicReference<>();
      AtomicReference<Health> healthDuring = new AtomicReference<>();
      broker.during =
          m -> {
            stateDuring.set(cb.state());
            healthDuring.set(cb.health());
            broker.during = x -> {};
            try {
              cb.publish(message(), broker);
            } catch (RuntimeException e) {
              concurrent.set(e);
            }
          };
      int calls = broker.calls;

      cb.publish(message(), broker);

      assertThat(broker.calls).as("the probe only").isEqualTo(calls + 1);
      assertThat(stateDuring.get()).isEqualTo(State.HALF_OPEN);
      assertThat(healthDuring.get().status()).isEqualTo(Health.Status.DEGRADED);
      assertThat(concurrent.get())
          .isInstanceOf(CircuitOpenException.class)
          .hasMessageContaining("half-open");
    }

    @Test
    @DisplayName("a successful probe closes it")
    void closesOnSuccess() {
      CircuitBreaker cb = opened(breaker().build());
      time.advance(WAIT.plusMillis(1));

      cb.publish(message(), broker);

      assertThat(cb.state()).isEqualTo(State.CLOSED);
      assertThat(cb.health()).isEqualTo(Health.up());
      cb.publish(message(), broker);
    }

    @Test
    @DisplayName("a failed probe opens it again for another full wait")
    void reopensOnFailure() {
      CircuitBreaker cb = opened(breaker().build());
      time.advance(WAIT.plusMillis(1));

      fail(cb, 1);

      assertThat(cb.state()).isEqualTo(State.OPEN);
      int calls = broker.calls;
      time.advance(WAIT.minusMillis(1));
      assertThatThrownBy(() -> cb.publish(message(), broker))
          .isInstanceOf(CircuitOpenException.class);
      assertThat(broker.calls).isEqualTo(calls);
      time.advance(Duration.ofMillis(2));
      cb.publish(message(), broker);
      assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    @DisplayName("with several probes it closes when all succeed and reopens at the first failure")
    void severalProbes() {
      CircuitBreaker cb = opened(breaker().probeCalls(2).build());
      time.advance(WAIT.plusMillis(1));
      cb.publish(message(), broker);
      assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
      cb.publish(message(), broker);
      assertThat(cb.state()).isEqualTo(State.CLOSED);

      opened(cb);
      time.advance(WAIT.plusMillis(1));
      fail(cb, 1);
      assertThat(cb.state()).isEqualTo(State.OPEN);
    }
  }

  @Nested
  @DisplayName("metrics and options")
  class MetricsAndOptions {
    @Test
    @DisplayName("the state gauge, the transitions and the refused publishes are exported")
    void meters() {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      CircuitBreaker cb = breaker().meterRegistry(registry).build();
      double[] state = new double[1];
      Runnable read =
          () ->
              state[0] = registry.get("jqueue.circuit.state").tag("name", "orders").gauge().value();

      read.run();
      assertThat(state[0]).isZero();
      opened(cb);
      read.run();
      assertThat(state[0]).isEqualTo(2);
      assertThatThrownBy(() -> cb.publish(message(), broker));
      assertThatThrownBy(() -> cb.publish(message(), broker));
      time.advance(WAIT.plusMillis(1));
      broker.during = m -> read.run();
      cb.publish(message(), broker);
      assertThat(state[0]).as("during the probe").isEqualTo(1);
      read.run();
      assertThat(state[0]).isZero();

      assertThat(registry.get("jqueue.circuit.rejected").tag("name", "orders").counter().count())
          .isEqualTo(2);
      assertThat(transitions(registry, "CLOSED", "OPEN")).isEqualTo(1);
      assertThat(transitions(registry, "OPEN", "HALF_OPEN")).isEqualTo(1);
      assertThat(transitions(registry, "HALF_OPEN", "CLOSED")).isEqualTo(1);
    }

    private double transitions(SimpleMeterRegistry registry, String from, String to) {
      return registry
          .get("jqueue.circuit.transitions")
          .tags("name", "orders", "from", from, "to", to)
          .counter()
          .count();
    }

    @Test
    @DisplayName("nonsense options are refused, naming the option")
    void refusesNonsense() {
      assertThatThrownBy(() -> CircuitBreaker.builder().failureThreshold(0))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("failureThreshold");
      assertThatThrownBy(() -> CircuitBreaker.builder().probeCalls(0))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("probeCalls");
      assertThatThrownBy(() -> CircuitBreaker.builder().openWait(Duration.ZERO))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("openWait");
      assertThatThrownBy(() -> CircuitBreaker.builder().openWait(Duration.ofDays(2)))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> CircuitBreaker.builder().name(" "))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("name");
    }

    @Test
    @DisplayName("it is named after its breaker and says its state")
    void describes() {
      CircuitBreaker cb = breaker().build();
      assertThat(cb.name()).isEqualTo("circuit-breaker:orders");
      assertThat(cb.toString()).contains("state=CLOSED").contains("failureThreshold=3");
    }
  }
}
