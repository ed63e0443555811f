package dev.nexus.server;

import dev.nexus.core.Node;
import dev.nexus.core.SessionConnection;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.TopicPattern;
import dev.nexus.server.auth.TopicPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reloaded ACL file does to connections already open: publishes and new subscriptions are checked against
 * the new rules anyway, but a subscription made under the old rules would go on delivering. So each connection
 * holding a subscription the new rules do not allow is closed with {@code forbidden_topic}, naming the pattern; the
 * client reconnects and is refused that pattern when it subscribes again. Connections whose subscriptions are all
 * still allowed are left alone.
 */
final class AclEnforcement {
    private static final Logger LOG = LoggerFactory.getLogger(AclEnforcement.class);

    private AclEnforcement() {
    }

    /** Closes the connections of {@code node} that hold a subscription {@code policy} forbids. */
    static void endForbiddenSubscriptions(Node node, TopicPolicy policy) {
        for (SessionConnection connection : node.connections()) {
            TopicPattern forbidden = policy.firstForbiddenSubscription(connection.sessionId(),
                    connection.subscribedPatterns());
            if (forbidden != null) {
                LOG.info("session {} is subscribed to '{}', which the reloaded ACLs do not allow; closing its connection",
                        connection.sessionId(), forbidden);
                node.disconnect(connection.sessionId(), ErrorCode.FORBIDDEN_TOPIC, "the ACL file changed and no "
                        + "longer lets session '" + connection.sessionId() + "' subscribe to '" + forbidden
                        + "'; reconnect and subscribe within its allow-list");
            }
        }
    }
}
