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

    /**
     * A dependency the operator did not configure: listed under {@code optional} with status {@code disabled},
     * so {@code GET /dependencies} always names every dependency the service knows.
     *
     * @param option the setting that would enable it, for the operator reading the reply
     */
    static DependencyProbe disabled(String name, String option) {
        return new DependencyProbe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean configured() {
                return false;
            }

            @Override
            public boolean available() {
                return false;
            }

            @Override
            public ObjectNode describe() {
                ObjectNode node = WireJson.mapper().createObjectNode();
                node.put("name", name);
                node.put("status", "disabled");
                node.put("reason", "not configured; set " + option + " to enable it");
                return node;
            }
        };
    }
}
