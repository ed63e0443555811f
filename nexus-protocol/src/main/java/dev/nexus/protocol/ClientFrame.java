package dev.nexus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A frame a client sends over WebSocket, after parsing and validation by {@link ClientFrameReader}. Every frame
 * may carry an {@code id} (any JSON scalar) that the server echoes in its reply; null when absent.
 */
public sealed interface ClientFrame {
    JsonNode id();

    /**
     * {@code {"action":"subscribe","topics":[...]}}: add patterns to the connection's subscriptions. With
     * {@code since_seq} (and optionally {@code epoch}), first replay what was missed after that position.
     *
     * @param sinceSeq the last seq the client received, or null for live only
     * @param epoch the epoch of that seq, or null
     */
    record Subscribe(JsonNode id, List<TopicPattern> patterns, Long sinceSeq, String epoch) implements ClientFrame {
    }

    /** {@code {"action":"unsubscribe","topics":[...]}}: remove patterns; unknown ones are ignored. */
    record Unsubscribe(JsonNode id, List<TopicPattern> patterns) implements ClientFrame {
    }

    /** {@code {"action":"publish","event_type":...,"payload":{...}}}. */
    record Publish(JsonNode id, PublishRequest request) implements ClientFrame {
    }

    /** {@code {"action":"ping"}}: answered with {@code {"type":"pong"}}. */
    record Ping(JsonNode id) implements ClientFrame {
    }

    /**
     * A work operation ({@code claim}, {@code renew}, {@code release}, {@code complete}, {@code fail},
     * {@code enqueue}, {@code next}): the WebSocket form of {@code POST /work/<action>}, same fields.
     */
    record Work(JsonNode id, WorkCommand command) implements ClientFrame {
    }

    /**
     * {@code {"action":"ack","event_ids":[...]}} or {@code {"action":"ack","up_to_seq":N}}: the WebSocket form of
     * {@code POST /sessions/{id}/inbox/ack}, for the connection's own session.
     */
    record Ack(JsonNode id, AckRequest request) implements ClientFrame {
    }

    /**
     * {@code {"action":"auth","token":"…"}}: presents a credential over the socket, for clients (browsers) that
     * cannot set an {@code Authorization} header on the upgrade; as the first frame it authenticates the
     * connection, later it refreshes an expiring credential of the same session. {@link #toString()} hides the
     * token so that it cannot reach a log.
     */
    record Auth(JsonNode id, String token) implements ClientFrame {
        @Override
        public String toString() {
            return "Auth[id=" + id + ", token=<hidden>]";
        }
    }
}
