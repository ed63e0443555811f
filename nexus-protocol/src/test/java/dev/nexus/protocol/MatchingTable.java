package dev.nexus.protocol;

import java.util.List;

/**
 * The pattern-matching truth table: (pattern, topic, expected). It checks the reference matcher
 * {@code TopicPattern.matches} here and, through this module's test-jar, the trie in nexus-core.
 */
public final class MatchingTable {
    public record Row(String pattern, String topic, boolean expected) {
    }

    private static final String DEEP16 = "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p";

    private MatchingTable() {
    }

    public static List<Row> rows() {
        return List.of(
                // literal patterns: the whole topic, exactly, case-sensitive
                new Row("work.claimed", "work.claimed", true),
                new Row("work.claimed", "work.released", false),
                new Row("work.claimed", "work", false),
                new Row("work.claimed", "work.claimed.extra", false),
                new Row("work.claimed", "Work.claimed", false),
                new Row("broadcast", "broadcast", true),
                new Row("broadcast", "broadcasts", false),
                new Row("broadcast", "broadcast.all", false),
                // * matches exactly one segment
                new Row("*", "broadcast", true),
                new Row("*", "work.claimed", false),
                new Row("work.*", "work.claimed", true),
                new Row("work.*", "work.released", true),
                new Row("work.*", "work", false),
                new Row("work.*", "work.claimed.extra", false),
                new Row("work.*", "other.claimed", false),
                new Row("work.*", "workers.claimed", false),
                new Row("*.claimed", "work.claimed", true),
                new Row("*.claimed", "work.released", false),
                new Row("*.claimed", "claimed", false),
                new Row("a.*.c", "a.b.c", true),
                new Row("a.*.c", "a.x-y_z.c", true),
                new Row("a.*.c", "a.b.d", false),
                new Row("a.*.c", "a.c", false),
                new Row("a.*.c", "a.b.x.c", false),
                new Row("a.*.c", "x.b.c", false),
                new Row("*.*", "a.b", true),
                new Row("*.*", "a", false),
                new Row("*.*", "a.b.c", false),
                // > and ** match one or more trailing segments, never zero
                new Row(">", "broadcast", true),
                new Row(">", "work.claimed", true),
                new Row(">", "a.b.c.d.e.f.g.h.i.j.k.l", true),
                new Row(">", DEEP16, true),
                new Row("**", "broadcast", true),
                new Row("**", "a.b.c", true),
                new Row("work.>", "work.claimed", true),
                new Row("work.>", "work.claimed.extra", true),
                new Row("work.>", "work.a.b.c.d.e.f.g.h.i", true),
                new Row("work.>", "work", false),
                new Row("work.>", "workers.claimed", false),
                new Row("work.>", "other.work.claimed", false),
                new Row("work.**", "work.claimed", true),
                new Row("work.**", "work.a.b.c", true),
                new Row("work.**", "work", false),
                new Row("work.**", "broadcast", false),
                new Row("*.>", "a", false),
                new Row("*.>", "a.b", true),
                new Row("*.>", "a.b.c", true),
                new Row("a.*.>", "a.b", false),
                new Row("a.*.>", "a.b.c", true),
                new Row("a.*.>", "a.b.c.d", true),
                new Row("a.*.>", "x.b.c", false),
                // deep topics
                new Row("a.b.c.d.e.f.g.h.i.j", "a.b.c.d.e.f.g.h.i.j", true),
                new Row("a.b.c.d.e.f.g.h.i.j", "a.b.c.d.e.f.g.h.i.x", false),
                new Row("a.b.c.d.e.f.g.h.i.j", "a.b.c.d.e.f.g.h.i", false),
                new Row("a.b.c.d.e.f.g.h.i.>", DEEP16, true),
                new Row("a.b.c.d.e.f.g.h.i.>", "a.b.c.d.e.f.g.h.i", false),
                new Row("a.*.c.*.e.*.g.*.i.*", "a.b.c.d.e.f.g.h.i.j", true),
                new Row("a.*.c.*.e.*.g.*.i.*", "a.b.c.d.e.f.g.h.i.j.k", false),
                new Row("a.*.c.*.e.*.g.*.i.*", "a.b.c.d.e.f.g.h.x.j", false),
                new Row("*.*.*.*.*.*.*.*.*.*.*", "a.b.c.d.e.f.g.h.i.j.k", true),
                new Row("*.*.*.*.*.*.*.*.*.*.*", "a.b.c.d.e.f.g.h.i.j", false),
                new Row(DEEP16, DEEP16, true),
                new Row("*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.>", DEEP16, true),
                new Row("*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.>", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o", false));
    }
}
