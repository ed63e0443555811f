package dev.nexus.core.work;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.WorkItem;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;

/** The JSON shapes of claims and queue items, the same in replies and in {@code work.*} event payloads. */
public final class WorkViews {
    private WorkViews() {
    }

    /**
     * A claim: {@code work_id}, {@code claimed_by}, {@code claimed_at}, {@code work_description},
     * {@code fencing_token}, {@code lease_expires_at} (and its seed-000 name {@code expires_at}), and
     * {@code resources} with {@code mode} when it reserves any.
     */
    public static ObjectNode claim(Claim claim) {
        ObjectNode node = WorkEvents.claimPayload(claim);
        if (!node.has("work_description")) {
            node.putNull("work_description");
        }
        if (claim.expiresAt() != null) {
            node.put("expires_at", WireTime.format(claim.expiresAt()));
        }
        return node;
    }

    /**
     * A queue item: its definition, {@code status}, {@code attempts} (failures so far), {@code ready_at} when
     * it waits for a retry, {@code finished_at}, {@code history} (every finished attempt), and the current
     * {@code claim} when one is given.
     */
    public static ObjectNode item(WorkItem item, Claim claim) {
        ObjectNode node = WireJson.mapper().createObjectNode();
        node.put("work_id", item.workId());
        if (item.description() != null) {
            node.put("work_description", item.description());
        }
        node.put("status", item.status().wire());
        node.put("priority", item.priority());
        ArrayNode capabilities = node.putArray("capabilities_needed");
        item.capabilitiesNeeded().forEach(capabilities::add);
        ArrayNode dependsOn = node.putArray("depends_on");
        item.dependsOn().forEach(dependsOn::add);
        node.put("max_attempts", item.maxAttempts());
        node.put("attempts", item.failures());
        node.put("enqueued_by", item.enqueuedBy());
        node.put("enqueued_at", WireTime.format(item.enqueuedAt()));
        if (item.readyAt() != null) {
            node.put("ready_at", WireTime.format(item.readyAt()));
        }
        if (item.finishedAt() != null) {
            node.put("finished_at", WireTime.format(item.finishedAt()));
        }
        ArrayNode history = node.putArray("history");
        item.attempts().forEach(attempt -> history.add(WorkEvents.attempt(attempt)));
        if (claim != null) {
            node.set("claim", claim(claim));
        }
        return node;
    }
}
