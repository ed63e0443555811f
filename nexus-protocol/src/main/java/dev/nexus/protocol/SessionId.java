package dev.nexus.protocol;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The grammar of a session id: 1 to 128 characters of {@code [A-Za-z0-9_.-]}, not starting with a dot. Session
 * ids name heartbeat files in the SSOT directory, so the grammar keeps them safe as file names.
 */
public final class SessionId {
    public static final int MAX_LENGTH = 128;
    private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0," + (MAX_LENGTH - 1) + "}");

    private SessionId() {
    }

    public static boolean isValid(String id) {
        return id != null && GRAMMAR.matcher(id).matches();
    }

    /**
     * @param field the field or parameter that held the id, for the error message
     * @throws NexusException {@code invalid_session_id}
     */
    public static String requireValid(String id, String field) {
        if (!isValid(id)) {
            throw new NexusException(ErrorCode.INVALID_SESSION_ID,
                    field + " must be 1-" + MAX_LENGTH + " characters of letters, digits, '_', '-' or '.', "
                            + "not starting with '.', got '" + id + "'",
                    Map.of("field", field));
        }
        return id;
    }
}
