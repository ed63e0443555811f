package dev.nexus.server;

/** How the service names itself on the wire (UDC endpoints, registry). */
public final class ServiceInfo {
    public static final String NAME = "nexus-event-bus";
    public static final String VERSION = "1.0.0";
    public static final String UDC_VERSION = "1.0";

    private ServiceInfo() {
    }
}
