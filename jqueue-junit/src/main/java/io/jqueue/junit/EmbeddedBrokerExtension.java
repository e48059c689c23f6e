package io.jqueue.junit;

import io.jqueue.Broker;
import io.jqueue.Publisher;
import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.embedded.EmbeddedConfig;
import io.jqueue.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh embedded broker, closed after the test: parameters of type {@link
 * Broker}, {@link EmbeddedBroker}, {@link Publisher} (the broker's shared publisher) and, with
 * {@link #withManualTime()}, {@link ManualTimeSource} are filled in.
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedBrokerExtension.class)
 * class SignupTest {
 *   @Test
 *   void welcomesNewUsers(Broker broker, Publisher publisher) { ... }
 * }
 *
 * class LeaseTest {
 *   @RegisterExtension
 *   EmbeddedBrokerExtension jqueue = EmbeddedBrokerExtension.withManualTime();
 *
 *   @Test
 *   void expires(Broker broker, ManualTimeSource time) { ... time.advance(Duration.ofSeconds(30)); }
 * }
 * }</pre>
 */
public final class EmbeddedBrokerExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedBrokerExtension.class);

  private final boolean manualTime;
  private final EmbeddedConfig.Builder config;

  /** A broker per test without periodic stats lines (what {@code @ExtendWith} uses). */
  public EmbeddedBrokerExtension() {
    this(false, EmbeddedConfig.builder().statsReportInterval(Duration.ZERO));
  }

  private EmbeddedBrokerExtension(boolean manualTime, EmbeddedConfig.Builder config) {
    this.manualTime = manualTime;
    this.config = Objects.requireNonNull(config, "config");
  }

  /** A broker per test built from {@code config}; the builder is reused for every test. */
  public static EmbeddedBrokerExtension withConfig(EmbeddedConfig.Builder config) {
    return new EmbeddedBrokerExtension(false, config);
  }

  /**
   * A broker per test on a {@link ManualTimeSource} starting at 2026-01-01T00:00:00Z: leases,
   * retries and TTLs move only when the test advances the clock.
   */
  public static EmbeddedBrokerExtension withManualTime() {
    return new EmbeddedBrokerExtension(
        true, EmbeddedConfig.builder().statsReportInterval(Duration.ZERO));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (manualTime) {
      ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
      store.put(ManualTimeSource.class, time);
      config.timeSource(time);
    }
    store.put(EmbeddedBroker.class, EmbeddedBroker.create(config.build()));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    EmbeddedBroker broker =
        context.getStore(NAMESPACE).remove(EmbeddedBroker.class, EmbeddedBroker.class);
    if (broker != null) {
      broker.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Broker.class
        || type == EmbeddedBroker.class
        || type == Publisher.class
        || (type == ManualTimeSource.class && manualTime);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == ManualTimeSource.class) {
      return context.getStore(NAMESPACE).get(ManualTimeSource.class, ManualTimeSource.class);
    }
    EmbeddedBroker broker =
        context.getStore(NAMESPACE).get(EmbeddedBroker.class, EmbeddedBroker.class);
    if (broker == null) {
      throw new ParameterResolutionException(
          "jqueue's broker exists around each test method only, not for " + parameter);
    }
    return type == Publisher.class ? broker.publisher() : broker;
  }
}
