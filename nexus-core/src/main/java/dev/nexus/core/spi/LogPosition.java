package dev.nexus.core.spi;

/**
 * A position in the event log.
 *
 * @param seq the event's sequence number: strictly increasing, starting at 1, never reused within an epoch
 * @param epoch identifies one incarnation of the log; it changes whenever the log is recreated (a memory log at
 *     every start), so a client holding an old seq can tell its position no longer means anything
 */
public record LogPosition(long seq, String epoch) {
}
