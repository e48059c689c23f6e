/**
 * What a broker implementation builds on, exported by the {@code io.jqueue} module: the rule that
 * decides what follows each delivery ({@link io.jqueue.spi.AttemptRule}, {@link
 * io.jqueue.spi.Decision}), one lease's state ({@link io.jqueue.spi.LeaseState}), and the skeletons
 * of a broker ({@link io.jqueue.spi.AbstractBroker}), a push subscription ({@link
 * io.jqueue.spi.AbstractSubscription}) and a delivery ({@link io.jqueue.spi.AbstractDelivery},
 * {@link io.jqueue.spi.InternalDelivery}). Brokers carry decisions out; they never decide
 * themselves, so every broker keeps SPEC §4 the same way. Applications do not need this package.
 */
package io.jqueue.spi;
