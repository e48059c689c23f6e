/**
 * Subscription filters: {@link io.jqueue.filter.MessageFilter} parses the Google Pub/Sub filter
 * language over message headers ({@code attributes.type = "email" AND NOT attributes:test}) or
 * wraps an in-process predicate; a malformed expression fails with {@link
 * io.jqueue.filter.FilterSyntaxException} giving the position of the error.
 */
package io.jqueue.filter;
