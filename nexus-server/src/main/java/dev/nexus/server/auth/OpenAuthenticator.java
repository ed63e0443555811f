package dev.nexus.server.auth;

/** {@code --auth none}: everyone is {@link Principal#anonymous()}. Safe only on loopback, which start-up enforces. */
final class OpenAuthenticator implements Authenticator {
    static final OpenAuthenticator INSTANCE = new OpenAuthenticator();

    private OpenAuthenticator() {
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Principal authenticate(String credential) {
        return Principal.anonymous();
    }
}
