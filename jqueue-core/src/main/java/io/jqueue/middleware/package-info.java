/**
 * Publish and consume middlewares that ship with jqueue, one per file. Every publish chain starts
 * with {@link io.jqueue.middleware.DefaultHeaders} and ends with {@link
 * io.jqueue.middleware.LimitsCheck} before the broker; the user's middlewares run between them,
 * first listed outermost.
 */
package io.jqueue.middleware;
