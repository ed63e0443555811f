package dev.nexus.core;

/**
 * How direct messages and capability routing behave.
 *
 * @param inboxMax most messages one session's inbox holds (see {@link dev.nexus.core.inbox.Inboxes})
 * @param defaultRouteCount to how many sessions a {@code help.needed} with {@code capabilities_needed} is routed
 *     when its payload gives no {@code route_count}
 */
public record MessagingOptions(int inboxMax, int defaultRouteCount) {
    public static final int MAX_INBOX = 1_000_000;

    public MessagingOptions {
        if (inboxMax < 1 || inboxMax > MAX_INBOX) {
            throw new IllegalArgumentException("inbox size must be from 1 to " + MAX_INBOX + ": " + inboxMax);
        }
        if (defaultRouteCount < 1 || defaultRouteCount > HelpRouting.MAX_ROUTE_COUNT) {
            throw new IllegalArgumentException("route count must be from 1 to " + HelpRouting.MAX_ROUTE_COUNT + ": "
                    + defaultRouteCount);
        }
    }

    /** 1000 messages per inbox; help routed to the single best session. */
    public static MessagingOptions defaults() {
        return new MessagingOptions(1000, 1);
    }
}
