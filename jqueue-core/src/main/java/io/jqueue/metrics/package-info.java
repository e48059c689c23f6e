/** Micrometer export of broker statistics: {@link io.jqueue.metrics.BrokerMetrics}. */
package io.jqueue.metrics;
