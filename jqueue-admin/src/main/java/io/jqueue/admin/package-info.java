/**
 * The admin HTTP server: {@link io.jqueue.admin.AdminServer}, mounted over any broker.
 *
 * <p>Endpoints: {@code /} (dashboard), {@code /metrics} (Prometheus text format), {@code /health},
 * {@code /health/live}, {@code /health/ready}, {@code /api/queues}, {@code /api/queues/{name}},
 * {@code /api/queues/{name}/dead-letters}, {@code POST /api/queues/{name}/dead-letters/redrive} and
 * {@code POST /api/queues/{name}/dead-letters/purge} (both with {@code Authorization: Bearer
 * <token>}), {@code /api/history}, {@code /api/info}.
 */
package io.jqueue.admin;
