/**
 * What a broker implementation builds on: the rule that decides what follows each delivery ({@link
 * io.jqueue.spi.AttemptRule}, {@link io.jqueue.spi.Decision}) and the state of one lease ({@link
 * io.jqueue.spi.LeaseState}). Brokers carry out decisions; they never decide themselves, so every
 * broker keeps SPEC §4 the same way. Applications do not need this package.
 */
package io.jqueue.spi;
