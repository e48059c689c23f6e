package io.jqueue;

/**
 * Answers one request taken from a queue by {@link Broker#respond}: returns the reply, which jqueue
 * publishes to the request's reply-to with its correlation id.
 *
 * <p>The reply's topic is ignored (it goes where the request says), and so are a correlation id,
 * reply-to and error headers it carries. Throwing sends the requester an error reply instead, so
 * its request fails with {@link RemoteHandlerException} carrying the error's class and message; the
 * request is acknowledged either way. A responder that settles the delivery itself ({@link
 * Delivery#retry}, {@link Delivery#deadLetter}) sends no reply.
 */
@FunctionalInterface
public interface Responder {

  /** The reply to {@code request}; must not be null. */
  Message respond(Delivery request) throws Exception;
}
