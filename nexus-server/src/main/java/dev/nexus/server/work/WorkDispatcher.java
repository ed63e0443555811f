package dev.nexus.server.work;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Node;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.work.WorkCoordinator;
import dev.nexus.core.work.WorkViews;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import dev.nexus.protocol.WorkCommand;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Maps a {@link WorkCommand} to its core call and the reply body, for HTTP and WebSocket alike, so both
 * transports behave the same: same fields, same errors. Runs the call on the {@link WorkExecutor}.
 *
 * <p>Reply bodies: {@code claim}, {@code renew} and {@code next} give the claim ({@code status} {@code claimed}
 * or {@code renewed}, the claim's fields, and for {@code next} the queue {@code item}); {@code release},
 * {@code complete} and {@code fail} give {@code status}, {@code work_id}, the session and the token that ended;
 * {@code fail} adds the queue {@code item}; {@code enqueue} gives the item.
 */
public final class WorkDispatcher {
    private final Node node;
    private final WorkExecutor executor;

    public WorkDispatcher(Node node, WorkExecutor executor) {
        this.node = node;
        this.executor = executor;
    }

    /**
     * @return completes with the reply body, or empty when {@code next} found nothing to hand out; fails with a
     *     {@link dev.nexus.protocol.NexusException} when refused
     */
    public CompletableFuture<Optional<ObjectNode>> run(String sessionId, WorkCommand command) {
        return executor.submit(() -> execute(sessionId, command));
    }

    /** Runs {@code call} on the work threads: for other work reads and operator actions. */
    public <T> CompletableFuture<T> submit(java.util.function.Supplier<T> call) {
        return executor.submit(call);
    }

    private Optional<ObjectNode> execute(String sessionId, WorkCommand command) {
        WorkCoordinator work = node.work();
        return switch (command) {
            case WorkCommand.Claim c -> Optional.of(claimReply("claimed", work.claim(sessionId, c)));
            case WorkCommand.Renew r -> Optional.of(claimReply("renewed",
                    work.renew(sessionId, r.workId(), r.fencingToken(), r.leaseTtlSeconds())));
            case WorkCommand.Release r -> Optional.of(ended("released", "released_by",
                    work.release(sessionId, r.workId(), r.fencingToken())));
            case WorkCommand.Complete c -> {
                ObjectNode reply = ended("completed", "completed_by",
                        work.complete(sessionId, c.workId(), c.fencingToken(), c.result()));
                reply.put("completed_at", WireTime.format(node.options().clock().instant()));
                yield Optional.of(reply);
            }
            case WorkCommand.Fail f -> {
                WorkCoordinator.Ended ended = work.fail(sessionId, f.workId(), f.fencingToken(), f.reason());
                ObjectNode reply = ended("failed", "failed_by", ended.claim());
                if (ended.item() != null) {
                    reply.set("item", WorkViews.item(ended.item(), null));
                }
                yield Optional.of(reply);
            }
            case WorkCommand.Enqueue e -> Optional.of(WorkViews.item(work.enqueue(sessionId, e), null));
            case WorkCommand.Next n -> work.next(sessionId, n.leaseTtlSeconds()).map(handed -> {
                ObjectNode reply = claimReply("claimed", handed.claim());
                reply.set("item", WorkViews.item(handed.item(), null));
                return reply;
            });
        };
    }

    private static ObjectNode claimReply(String status, Claim claim) {
        ObjectNode reply = WireJson.mapper().createObjectNode();
        reply.put("status", status);
        reply.setAll(WorkViews.claim(claim));
        return reply;
    }

    private static ObjectNode ended(String status, String byField, Claim claim) {
        ObjectNode reply = WireJson.mapper().createObjectNode();
        reply.put("status", status);
        reply.put("work_id", claim.workId());
        reply.put(byField, claim.claimedBy());
        reply.put("fencing_token", claim.fencingToken());
        return reply;
    }
}
