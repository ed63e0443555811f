package dev.nexus.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.WireJson;
import dev.nexus.server.registry.RegistryClient;
import java.net.URI;

/** The service registry as a dependency: available once registration succeeded. */
final class RegistryDependency implements DependencyProbe {
    private final URI url;
    private volatile RegistryClient client;

    /** @param url null when registration is off */
    RegistryDependency(URI url) {
        this.url = url;
    }

    /** Set once the server listens and registration has started. */
    void attach(RegistryClient registryClient) {
        this.client = registryClient;
    }

    @Override
    public String name() {
        return "registry";
    }

    @Override
    public boolean configured() {
        return url != null;
    }

    @Override
    public boolean available() {
        RegistryClient current = client;
        return current != null && RegistryClient.AVAILABLE.equals(current.status());
    }

    @Override
    public ObjectNode describe() {
        ObjectNode node = WireJson.mapper().createObjectNode();
        node.put("name", name());
        if (url == null) {
            node.put("status", "disabled");
            node.put("hint", "start with --registry-url URL to register with a service registry");
            return node;
        }
        RegistryClient current = client;
        node.put("status", available() ? "available" : "unavailable");
        node.put("url", url.toString());
        if (current != null) {
            node.put("attempts", current.attempts());
            if (current.lastError() != null) {
                node.put("error", current.lastError());
            }
        }
        return node;
    }
}
