package dev.nexus.protocol;

import java.util.List;
import java.util.Map;

/**
 * A subscription pattern: a topic whose segments may be {@code *} (exactly one segment) and whose last segment
 * may be {@code >} or {@code **} (one or more segments). {@code >} or {@code **} alone matches every topic.
 * {@code **} is accepted as a synonym and normalised to {@code >}, so {@code work.**} and {@code work.>} are the
 * same subscription.
 *
 * @param text the normalised pattern text
 * @param tokens its segments, with {@code **} replaced by {@code >}
 */
public record TopicPattern(String text, List<String> tokens) {
    public static final String ONE = "*";
    public static final String REST = ">";

    public TopicPattern {
        tokens = List.copyOf(tokens);
    }

    /**
     * Parses and validates a pattern.
     *
     * @throws NexusException {@code invalid_pattern} naming what is wrong
     */
    public static TopicPattern parse(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw invalid(pattern, "pattern must not be empty");
        }
        if (pattern.length() > Topic.MAX_LENGTH) {
            throw invalid(pattern, "pattern is longer than " + Topic.MAX_LENGTH + " characters");
        }
        String[] parts = pattern.split("\\.", -1);
        if (parts.length > Topic.MAX_SEGMENTS) {
            throw invalid(pattern, "pattern '" + pattern + "' has more than " + Topic.MAX_SEGMENTS + " segments");
        }
        String[] tokens = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals(">") || part.equals("**")) {
                if (!last) {
                    throw invalid(pattern, "'" + part + "' may only be the last segment of a pattern");
                }
                tokens[i] = REST;
            } else if (part.equals("*")) {
                tokens[i] = ONE;
            } else if (part.isEmpty()) {
                throw invalid(pattern, "pattern '" + pattern + "' has an empty segment");
            } else {
                for (int c = 0; c < part.length(); c++) {
                    if (!Topic.isSegmentChar(part.charAt(c))) {
                        throw invalid(pattern, "pattern '" + pattern + "' has an invalid segment '" + part
                                + "': use letters, digits, '_', '-', or a whole-segment wildcard '*', '>' or '**'");
                    }
                }
                tokens[i] = part;
            }
        }
        return new TopicPattern(String.join(".", tokens), List.of(tokens));
    }

    /** True when the pattern has no wildcard, so it matches exactly one topic. */
    public boolean isLiteral() {
        return !tokens.contains(ONE) && !tokens.contains(REST);
    }

    /**
     * Reference matcher, one pattern against one topic. The hub uses a trie instead; this exists for validation,
     * history filters and as the oracle in tests.
     */
    public boolean matches(String topic) {
        String[] segments = topic.split("\\.", -1);
        int n = tokens.size();
        for (int i = 0; i < n; i++) {
            String token = tokens.get(i);
            if (token.equals(REST)) {
                return segments.length > i;
            }
            if (i >= segments.length) {
                return false;
            }
            if (!token.equals(ONE) && !token.equals(segments[i])) {
                return false;
            }
        }
        return segments.length == n;
    }

    /**
     * True when every topic {@code other} matches, this pattern matches too (a pattern covers itself). Used to
     * check a subscription against an allow-list of patterns.
     */
    public boolean covers(TopicPattern other) {
        List<String> theirs = other.tokens;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.equals(REST)) {
                return theirs.size() > i;
            }
            if (i >= theirs.size()) {
                return false;
            }
            String their = theirs.get(i);
            if (their.equals(REST) || (!token.equals(ONE) && !token.equals(their))) {
                return false;
            }
        }
        return theirs.size() == tokens.size();
    }

    @Override
    public String toString() {
        return text;
    }

    private static NexusException invalid(String pattern, String message) {
        return new NexusException(ErrorCode.INVALID_PATTERN, message, Map.of("pattern", String.valueOf(pattern)));
    }
}
