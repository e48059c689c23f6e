/**
 * The jqueue API: {@link io.jqueue.Message}, {@link io.jqueue.Publisher}, {@link io.jqueue.Broker},
 * {@link io.jqueue.Delivery}, queue specs, options, middleware chains and the error hierarchy
 * rooted at {@link io.jqueue.JQueueException}.
 */
package io.jqueue;
