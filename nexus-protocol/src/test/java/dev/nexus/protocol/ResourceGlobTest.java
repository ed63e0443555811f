package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Truth tables of the reservation glob semantics documented on {@link ResourceGlob} and in the README. */
class ResourceGlobTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            README.md          | README.md          | true
            README.md          | readme.md          | false
            README.md          | docs/README.md     | false
            *.md               | README.md          | true
            *.md               | .md                | true
            *.md               | docs/README.md     | false
            src/*              | src/a.java         | true
            src/*              | src                | false
            src/*              | src/api/a.java     | false
            src/**             | src                | true
            src/**             | src/a.java         | true
            src/**             | src/api/v1/a.java  | true
            src/**             | srcx/a.java        | false
            src/**             | lib/src/a.java     | false
            src/api/**         | src/api/users.py   | true
            src/api/**         | src/apix/users.py  | false
            **                 | anything/at/all    | true
            **                 | top                | true
            **/test/*.py       | test/a.py          | true
            **/test/*.py       | a/b/test/c.py      | true
            **/test/*.py       | a/test/b/c.py      | false
            a/**/b             | a/b                | true
            a/**/b             | a/x/y/b            | true
            a/**/b             | a/x/y/c            | false
            file?.txt          | file1.txt          | true
            file?.txt          | file.txt           | false
            file?.txt          | file12.txt         | false
            ?                  | a/b                | false
            src/*.java         | src/*.java         | true
            src/a*b*c          | src/abc            | true
            src/a*b*c          | src/aXbYc          | true
            src/a*b*c          | src/acb            | false
            """)
    void globAgainstPath(String glob, String path, boolean matches) {
        assertThat(ResourceGlob.parse(glob).matches(path)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            README.md          | README.md          | true
            README.md          | CHANGES.md         | false
            src/api/**         | src/api/users.py   | true
            src/api/**         | src/**             | true
            src/api/**         | src/web/**         | false
            src/api/**         | src                | false
            src/api/**         | src/*              | true
            src/**             | **                 | true
            **                 | README.md          | true
            *.md               | README.*           | true
            *.md               | *.txt              | false
            a*                 | *b                 | true
            a*c                | b*                 | false
            a?c                | ?b?                | true
            a?c                | ??                 | false
            src/*/test         | src/api/*          | true
            src/*/test         | src/api/main       | false
            src/*/test         | src/**/test        | true
            **/*.py            | docs/**            | true
            **/*.py            | *.md               | false
            a/**/b             | a/**/c             | false
            a/**/b             | a/**               | true
            a/**/b/**          | **/c/**            | true
            docs/*             | docs/guide/intro   | false
            docs/**            | docs/guide/intro   | true
            """)
    void globAgainstGlobIsSymmetric(String left, String right, boolean overlaps) {
        ResourceGlob a = ResourceGlob.parse(left);
        ResourceGlob b = ResourceGlob.parse(right);

        assertThat(a.overlaps(b)).as("%s vs %s", left, right).isEqualTo(overlaps);
        assertThat(b.overlaps(a)).as("%s vs %s", right, left).isEqualTo(overlaps);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "trailing/", "a//b", "./a", "a/../b", "a**", "src/**x", "x\\y", "[abc]",
            "{a,b}", "tab\there"})
    void invalidResourcesAreRefusedNamingTheField(String text) {
        NexusException e = catchThrowableOfType(NexusException.class, () -> ResourceGlob.parse(text));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.details()).containsEntry("field", "resources");
    }

    @ParameterizedTest
    @CsvSource({"exclusive,exclusive,true", "exclusive,shared,true", "shared,exclusive,true", "shared,shared,false"})
    void modesConflictUnlessBothShared(String a, String b, boolean conflict) {
        assertThat(ReservationMode.parse(a).conflictsWith(ReservationMode.parse(b))).isEqualTo(conflict);
    }
}
