package io.jqueue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a broker supports, beyond what every broker must do.
 *
 * @param broker the broker's name, for skip reasons and logs
 * @param supported the supported optional capabilities
 */
public record BrokerCapabilities(String broker, Set<Capability> supported) {

  /** Copies the set. */
  public BrokerCapabilities {
    supported = supported.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(supported));
  }

  /** Capabilities of {@code broker}. */
  public static BrokerCapabilities of(String broker, Capability... supported) {
    Set<Capability> set = EnumSet.noneOf(Capability.class);
    set.addAll(Arrays.asList(supported));
    return new BrokerCapabilities(broker, set);
  }

  /** Whether {@code capability} is supported. */
  public boolean supports(Capability capability) {
    return supported.contains(capability);
  }
}
