/**
 * The broker contract suite: {@link io.jqueue.testkit.BrokerContract} and its sections, one per
 * topic of SPEC §4. Every broker module runs it.
 */
package io.jqueue.testkit;
