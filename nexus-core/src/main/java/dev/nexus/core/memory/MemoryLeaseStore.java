package dev.nexus.core.memory;

import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.LeaseStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Claims in a concurrent map: one node, lost on restart. Fencing tokens start at 1. */
public final class MemoryLeaseStore implements LeaseStore {
    private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();

    @Override
    public ClaimAttempt tryClaim(Claim request) {
        boolean[] granted = {false};
        Claim claim = claims.computeIfAbsent(request.workId(), id -> {
            granted[0] = true;
            return request.withFencingToken(tokens.incrementAndGet());
        });
        return new ClaimAttempt(claim, granted[0]);
    }

    @Override
    public Optional<Claim> get(String workId) {
        return Optional.ofNullable(claims.get(workId));
    }

    @Override
    public boolean remove(Claim claim) {
        boolean[] removed = {false};
        claims.computeIfPresent(claim.workId(), (id, current) -> {
            removed[0] = sameGrant(current, claim);
            return removed[0] ? null : current;
        });
        return removed[0];
    }

    @Override
    public Optional<Claim> renew(Claim claim, Instant expiresAt) {
        Claim[] renewed = {null};
        claims.computeIfPresent(claim.workId(), (id, current) -> {
            if (!sameGrant(current, claim)) {
                return current;
            }
            renewed[0] = current.withExpiresAt(expiresAt);
            return renewed[0];
        });
        return Optional.ofNullable(renewed[0]);
    }

    private static boolean sameGrant(Claim current, Claim named) {
        return current.fencingToken() == named.fencingToken() && current.claimedBy().equals(named.claimedBy());
    }

    @Override
    public List<Claim> list() {
        List<Claim> all = new ArrayList<>(claims.values());
        all.sort(Comparator.comparingLong(Claim::fencingToken));
        return all;
    }

    @Override
    public List<Claim> heldBy(String sessionId) {
        return list().stream().filter(c -> c.claimedBy().equals(sessionId)).toList();
    }
}
