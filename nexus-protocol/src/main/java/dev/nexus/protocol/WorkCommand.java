package dev.nexus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A work operation as a client asks for it, the same over HTTP ({@code POST /work/<action>}) and WebSocket
 * ({@code {"action":"<action>",…}}); read by {@link WorkCommandReader}. The acting session is not part of it:
 * WebSocket knows it from the connection, HTTP reads {@code session_id}.
 *
 * <p>{@code leaseTtlSeconds} is null when the client left the lease length to the server's default;
 * {@code fencingToken} is null when the client did not present one.
 */
public sealed interface WorkCommand {
    /** The action name, as on the wire. */
    String action();

    /**
     * Claims one item. {@code resources} is empty when the claim reserves nothing; {@code mode} then does not
     * matter.
     */
    record Claim(String workId, String description, Long leaseTtlSeconds, List<ResourceGlob> resources,
            ReservationMode mode) implements WorkCommand {
        public Claim {
            resources = List.copyOf(resources);
        }

        @Override
        public String action() {
            return "claim";
        }
    }

    /** Extends the lease of a held item. */
    record Renew(String workId, Long fencingToken, Long leaseTtlSeconds) implements WorkCommand {
        @Override
        public String action() {
            return "renew";
        }
    }

    /** Gives a held item back. */
    record Release(String workId, Long fencingToken) implements WorkCommand {
        @Override
        public String action() {
            return "release";
        }
    }

    /** Finishes a held item; {@code result} is optional JSON, null when absent. */
    record Complete(String workId, Long fencingToken, JsonNode result) implements WorkCommand {
        @Override
        public String action() {
            return "complete";
        }
    }

    /** Gives a held queue item back as failed, to be retried after a backoff or dead-lettered. */
    record Fail(String workId, Long fencingToken, String reason) implements WorkCommand {
        @Override
        public String action() {
            return "fail";
        }
    }

    /**
     * Adds an item to the work queue.
     *
     * @param priority 0 (critical) … 4 (bulk)
     * @param maxAttempts failed attempts after which the item is dead
     */
    record Enqueue(String workId, String description, List<String> capabilitiesNeeded, int priority,
            List<String> dependsOn, int maxAttempts) implements WorkCommand {
        public Enqueue {
            capabilitiesNeeded = List.copyOf(capabilitiesNeeded);
            dependsOn = List.copyOf(dependsOn);
        }

        @Override
        public String action() {
            return "enqueue";
        }
    }

    /** Asks the queue for the best item this session can do now, claimed with a lease. */
    record Next(Long leaseTtlSeconds) implements WorkCommand {
        @Override
        public String action() {
            return "next";
        }
    }
}
