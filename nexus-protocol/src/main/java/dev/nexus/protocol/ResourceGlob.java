package dev.nexus.protocol;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * A resource named in a reservation: a {@code /}-separated path whose segments may hold wildcards.
 *
 * <ul>
 *   <li>{@code *} matches any run of characters within one segment, including none ({@code *.md} matches
 *       {@code README.md} and {@code .md}); it never matches a {@code /}.</li>
 *   <li>{@code ?} matches exactly one character other than {@code /}.</li>
 *   <li>{@code **} as a whole segment matches zero or more whole segments: {@code src/**} matches {@code src},
 *       {@code src/a} and {@code src/a/b}; {@code **} alone matches every path. Elsewhere in a segment
 *       ({@code a**}) it is refused.</li>
 *   <li>Everything else matches itself, case-sensitively. A path is a resource without wildcards.</li>
 * </ul>
 * Refused: empty text, a leading or trailing {@code /}, empty segments ({@code a//b}), {@code .} and {@code ..}
 * segments, a backslash, {@code [}, {@code ]}, {@code {}, {@code }}, control characters, more than
 * {@value #MAX_SEGMENTS} segments or {@value #MAX_LENGTH} characters.
 *
 * <p>Two resources {@link #overlaps overlap} when at least one path matches both; a path matches a glob exactly
 * when they overlap.
 *
 * @param text the resource as given
 * @param segments its segments
 */
public record ResourceGlob(String text, List<String> segments) {
    public static final int MAX_LENGTH = 1024;
    public static final int MAX_SEGMENTS = 64;
    private static final String ANY_SEGMENTS = "**";

    public ResourceGlob {
        segments = List.copyOf(segments);
    }

    /**
     * Parses and checks a resource.
     *
     * @throws NexusException {@code invalid_field} (field {@code resources}) saying what is wrong
     */
    public static ResourceGlob parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid(text, "a resource must not be empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid(text, "a resource is at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || "\\[]{}".indexOf(c) >= 0) {
                throw invalid(text, "resource '" + text + "' contains '" + c + "', which is not allowed");
            }
        }
        String[] parts = text.split("/", -1);
        if (parts.length > MAX_SEGMENTS) {
            throw invalid(text, "resource '" + text + "' has more than " + MAX_SEGMENTS + " segments");
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                throw invalid(text, "resource '" + text + "' has an empty segment (a leading, trailing or double /)");
            }
            if (part.equals(".") || part.equals("..")) {
                throw invalid(text, "resource '" + text + "' has a '" + part + "' segment");
            }
            if (part.contains(ANY_SEGMENTS) && !part.equals(ANY_SEGMENTS)) {
                throw invalid(text, "resource '" + text + "': ** must be a whole segment");
            }
        }
        return new ResourceGlob(text, List.of(parts));
    }

    /** Whether some path matches both this resource and {@code other}. Symmetric. */
    public boolean overlaps(ResourceGlob other) {
        return intersect(segments, ANY_SEGMENTS::equals, other.segments, ANY_SEGMENTS::equals,
                ResourceGlob::segmentsOverlap);
    }

    /** Whether a literal path (no wildcards are interpreted in it) matches this resource. */
    public boolean matches(String path) {
        List<String> literal = List.of(path.split("/", -1));
        return intersect(segments, ANY_SEGMENTS::equals, literal, part -> false, ResourceGlob::segmentMatches);
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean segmentMatches(String glob, String literal) {
        return !literal.isEmpty()
                && intersect(chars(glob), "*"::equals, chars(literal), c -> false, (g, c) -> g.equals("?") || g.equals(c));
    }

    private static boolean segmentsOverlap(String a, String b) {
        return intersect(chars(a), "*"::equals, chars(b), "*"::equals,
                (x, y) -> x.equals("?") || y.equals("?") || x.equals(y));
    }

    private static List<String> chars(String segment) {
        return segment.chars().mapToObj(c -> String.valueOf((char) c)).toList();
    }

    /**
     * Whether the languages of two patterns intersect. A pattern is a list of tokens; a token its star predicate
     * accepts matches any number of units (a loop), any other matches one unit, and two such tokens can
     * match the same unit when {@code compatible} says so. The search walks the product automaton: a state is a
     * pair of positions, and the intersection is non-empty when both patterns can reach their end together.
     * Units here are never empty, and {@code star} tokens accept every unit, so star-against-token moves always
     * exist.
     */
    private static boolean intersect(List<String> a, Predicate<String> aIsStar, List<String> b,
            Predicate<String> bIsStar, BiPredicate<String, String> compatible) {
        Deque<long[]> todo = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        todo.push(new long[] {0, 0});
        while (!todo.isEmpty()) {
            long[] state = todo.pop();
            int i = (int) state[0];
            int j = (int) state[1];
            if (!seen.add(((long) i << 32) | j)) {
                continue;
            }
            if (i == a.size() && j == b.size()) {
                return true;
            }
            boolean aStar = i < a.size() && aIsStar.test(a.get(i));
            boolean bStar = j < b.size() && bIsStar.test(b.get(j));
            if (aStar) {
                todo.push(new long[] {i + 1, j});
            }
            if (bStar) {
                todo.push(new long[] {i, j + 1});
            }
            if (i < a.size() && j < b.size()) {
                if (aStar && !bStar) {
                    todo.push(new long[] {i, j + 1});
                } else if (bStar && !aStar) {
                    todo.push(new long[] {i + 1, j});
                } else if (!aStar && compatible.test(a.get(i), b.get(j))) {
                    todo.push(new long[] {i + 1, j + 1});
                }
            }
        }
        return false;
    }

    private static NexusException invalid(String text, String message) {
        return new NexusException(ErrorCode.INVALID_FIELD, message, Map.of("field", "resources"));
    }
}
