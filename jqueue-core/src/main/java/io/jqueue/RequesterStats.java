package io.jqueue;

/**
 * A snapshot of a {@link Requester}'s figures.
 *
 * @param pending requests waiting for their reply now
 * @param completed requests answered with a reply
 * @param timedOut requests that failed with {@link RequestTimeoutException}
 * @param lateReplies replies dropped because their request had timed out or was given up, or
 *     because they matched no request of this requester
 * @param remoteErrors requests answered with an error: the responder threw ({@link
 *     RemoteHandlerException})
 */
public record RequesterStats(
    int pending, long completed, long timedOut, long lateReplies, long remoteErrors) {}
