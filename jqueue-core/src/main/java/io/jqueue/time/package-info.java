/**
 * The clock every broker reads and schedules its timers on: {@link io.jqueue.time.TimeSource}, the
 * real {@link io.jqueue.time.SystemTimeSource} a broker uses by default, and the {@link
 * io.jqueue.time.ManualTimeSource} tests move themselves, so leases, TTLs and backoff run
 * deterministically on every broker (where the broker's server does not decide them itself).
 */
package io.jqueue.time;
