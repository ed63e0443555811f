package dev.nexus.server.registry;

import java.util.List;
import java.util.Objects;

/**
 * What this service tells the registry about itself (seed 000, "Service Registration"); sent as
 * {@code {"name":…,"id":…,"url":…,"version":…,"capabilities":[…]}}.
 *
 * @param name the service name, {@code nexus-event-bus}
 * @param id this instance, such as {@code nexus-event-bus-001}
 * @param url where clients reach this instance, such as {@code http://localhost:8450}
 * @param version the service version
 * @param capabilities what it offers, such as {@code event-streaming}; null means none
 */
public record Registration(String name, String id, String url, String version, List<String> capabilities) {
    public Registration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(version, "version");
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
}
