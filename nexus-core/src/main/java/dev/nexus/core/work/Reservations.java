package dev.nexus.core.work;

import dev.nexus.core.spi.Claim;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.ResourceGlob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules between reservations. A claim's resources conflict with another session's claim when some resource of
 * each overlaps (see {@link ResourceGlob#overlaps}) and either of the two holds them exclusively. A session's own
 * claims never conflict with each other.
 */
final class Reservations {
    private Reservations() {
    }

    /**
     * Refuses {@code wanted} when it conflicts with a claim in {@code held}.
     *
     * @throws NexusException {@code reservation_conflict} naming the holder ({@code claimed_by}), its item
     *     ({@code held_work_id}), the overlapping resources ({@code resource} held, {@code requested_resource}) and
     *     the holder's {@code mode}
     */
    static void requireFree(Claim wanted, List<Claim> held) {
        if (wanted.resources().isEmpty()) {
            return;
        }
        for (Claim holder : held) {
            if (holder.claimedBy().equals(wanted.claimedBy()) || holder.workId().equals(wanted.workId())
                    || !holder.mode().conflictsWith(wanted.mode())) {
                continue;
            }
            for (ResourceGlob theirs : holder.resources()) {
                for (ResourceGlob ours : wanted.resources()) {
                    if (theirs.overlaps(ours)) {
                        Map<String, Object> details = new LinkedHashMap<>();
                        details.put("work_id", wanted.workId());
                        details.put("claimed_by", holder.claimedBy());
                        details.put("held_work_id", holder.workId());
                        details.put("resource", theirs.text());
                        details.put("requested_resource", ours.text());
                        details.put("mode", holder.mode().wire());
                        throw new NexusException(ErrorCode.RESERVATION_CONFLICT, "'" + ours.text() + "' overlaps '"
                                + theirs.text() + "', reserved (" + holder.mode().wire() + ") by " + holder.claimedBy()
                                + " for work '" + holder.workId() + "'", details);
                    }
                }
            }
        }
    }

    /** Who holds {@code path}: each claim with a resource overlapping it, and that resource. */
    static List<Reservation> holding(ResourceGlob path, List<Claim> claims) {
        List<Reservation> holdings = new ArrayList<>();
        for (Claim claim : claims) {
            for (ResourceGlob resource : claim.resources()) {
                if (resource.overlaps(path)) {
                    holdings.add(new Reservation(claim, resource));
                }
            }
        }
        return holdings;
    }
}
