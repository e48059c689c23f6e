/**
 * Implementation classes shared by jqueue's modules. Not an API: anything here may change in any
 * release without notice.
 */
package io.jqueue.internal;
