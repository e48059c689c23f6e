/**
 * Publish and consume middlewares that ship with jqueue, one per file. Every publish chain starts
 * with {@link io.jqueue.middleware.DefaultHeaders} and ends with {@link
 * io.jqueue.middleware.LimitsCheck} before the broker; the user's middlewares run between them,
 * first listed outermost.
 *
 * <p>The byte-level middlewares come in pairs: publish through {@link
 * io.jqueue.middleware.Compression} then {@link io.jqueue.middleware.Encryption}, and consume
 * through {@link io.jqueue.middleware.Decryption} then {@link io.jqueue.middleware.Decompression}
 * (encrypted bytes do not compress, and a gzip reader cannot read ciphertext).
 */
package io.jqueue.middleware;
