package dev.nexus.protocol;

/**
 * The grammar of a topic (an event type such as {@code work.claimed}): dot-separated segments of
 * {@code [A-Za-z0-9_-]}, at most {@value #MAX_SEGMENTS} segments and {@value #MAX_LENGTH} characters.
 * A single segment ({@code broadcast}) is a valid topic.
 */
public final class Topic {
    public static final int MAX_SEGMENTS = 16;
    public static final int MAX_LENGTH = 255;

    private Topic() {
    }

    /**
     * Checks a topic and returns it unchanged.
     *
     * @throws NexusException {@code invalid_topic} naming what is wrong
     */
    public static String requireValid(String topic) {
        String problem = problem(topic);
        if (problem != null) {
            throw new NexusException(ErrorCode.INVALID_TOPIC, problem, java.util.Map.of("topic", String.valueOf(topic)));
        }
        return topic;
    }

    /** True when {@code topic} follows the grammar. */
    public static boolean isValid(String topic) {
        return problem(topic) == null;
    }

    /** A sentence saying why {@code topic} is invalid, or null when it is valid. */
    static String problem(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "topic must not be empty";
        }
        if (topic.length() > MAX_LENGTH) {
            return "topic is longer than " + MAX_LENGTH + " characters";
        }
        int segments = 1;
        int segmentLength = 0;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '.') {
                if (segmentLength == 0) {
                    return "topic '" + topic + "' has an empty segment";
                }
                segments++;
                segmentLength = 0;
            } else if (isSegmentChar(c)) {
                segmentLength++;
            } else {
                return "topic '" + topic + "' contains '" + c
                        + "': segments use letters, digits, '_' and '-' (wildcards belong in subscriptions)";
            }
        }
        if (segmentLength == 0) {
            return "topic '" + topic + "' has an empty segment";
        }
        if (segments > MAX_SEGMENTS) {
            return "topic '" + topic + "' has more than " + MAX_SEGMENTS + " segments";
        }
        return null;
    }

    static boolean isSegmentChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
