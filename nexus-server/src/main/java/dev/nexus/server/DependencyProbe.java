package dev.nexus.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.WireJson;

/**
 * Something outside the server that it depends on (the service registry, the SSOT directory), as
 * {@code GET /dependencies} and {@code GET /health} report it. Implementations answer from state they already
 * hold: no I/O on the caller's thread (it is an event loop).
 */
public interface DependencyProbe {
    /** The name on the wire, such as {@code registry} or {@code ssot-filesystem}. */
    String name();

    /** False when the operator did not configure it: reported as disabled, never as missing. */
    boolean configured();

    /** Whether it worked the last time it was used or checked. */
    boolean available();

    /** Its entry: at least {@code name} and {@code status}, plus where it is ({@code url} or {@code path}). */
    ObjectNode describe();
}
