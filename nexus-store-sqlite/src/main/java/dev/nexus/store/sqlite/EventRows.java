package dev.nexus.store.sqlite;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.EventCodec;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PayloadKeepingParser;
import dev.nexus.protocol.WireJson;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Maps events to rows of the {@code events} table and back. The row keeps the event's wire JSON (with its seq),
 * which is what reads decode (the payload stays as stored bytes until something reads its fields); the other
 * columns exist for filtering (topic, time, ttl, direct messages) and retention (time, bytes).
 */
final class EventRows {
    static final String INSERT = "INSERT INTO events (" + Schema.EVENTS_COLUMN_NAMES + ") VALUES (?, ?, ?, ?, ?, ?, ?)";

    private EventRows() {
    }

    /**
     * Binds one event (already carrying its seq) to {@link #INSERT}.
     *
     * @param encoded the event's wire form if the caller has it, else null (it is encoded here)
     * @return the size of its JSON in bytes, as stored in {@code size_bytes}
     */
    static int bind(PreparedStatement insert, Event event, byte[] encoded) throws SQLException {
        byte[] json = encoded != null ? encoded : EventCodec.encode(event);
        insert.setLong(1, event.seq());
        insert.setString(2, event.eventType());
        insert.setLong(3, event.timestamp().toEpochMilli());
        insert.setString(4, event.targetSessionId());
        if (event.ttl() == null) {
            insert.setNull(5, Types.INTEGER);
        } else {
            insert.setInt(5, event.ttl());
        }
        insert.setInt(6, json.length);
        insert.setBytes(7, json);
        return json.length;
    }

    /**
     * The event stored as {@code json}.
     *
     * @throws NexusException {@code store_unavailable} when the stored bytes are not an event (a damaged file)
     */
    static Event decode(long seq, byte[] json) {
        try {
            return EventCodec.decode(PayloadKeepingParser.parseUtf8(json, WireJson.MAX_CONFIGURABLE_DEPTH));
        } catch (IOException | RuntimeException e) {
            throw new NexusException(ErrorCode.STORE_UNAVAILABLE,
                    "the stored event at seq " + seq + " cannot be read; the database may be damaged");
        }
    }
}
