/** Payload codecs: the {@link io.jqueue.codec.Codec} SPI and the default JSON codec. */
package io.jqueue.codec;
