package dev.nexus.core;

import dev.nexus.protocol.Event;
import dev.nexus.protocol.EventCodec;

/**
 * An event together with its wire bytes, encoded exactly once and shared read-only by every subscriber that
 * receives it. Never modify {@link #json()}.
 *
 * @param event the sequenced event
 * @param json its UTF-8 JSON
 * @param acceptedNanos {@link System#nanoTime()} when the bus accepted it, to measure publish→delivery latency
 */
public record EncodedEvent(Event event, byte[] json, long acceptedNanos) {
    public static EncodedEvent of(Event event, long acceptedNanos) {
        return new EncodedEvent(event, EventCodec.encode(event), acceptedNanos);
    }
}
