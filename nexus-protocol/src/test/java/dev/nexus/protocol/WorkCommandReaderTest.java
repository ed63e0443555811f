package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkCommandReaderTest {

    @Test
    void claimReadsLeaseResourcesAndMode() {
        WorkCommand.Claim claim = (WorkCommand.Claim) read("claim", """
                {"work_id":"w1","lease_ttl_s":60,"resources":["src/api/**","README.md"],"mode":"shared"}""");

        assertThat(claim.leaseTtlSeconds()).isEqualTo(60L);
        assertThat(claim.resources()).extracting(ResourceGlob::text).containsExactly("src/api/**", "README.md");
        assertThat(claim.mode()).isEqualTo(ReservationMode.SHARED);
    }

    @Test
    void ttlSecondsIsTheSeedNameOfLeaseTtlS() {
        assertThat(((WorkCommand.Claim) read("claim", "{\"work_id\":\"w\",\"ttl_seconds\":90}")).leaseTtlSeconds())
                .isEqualTo(90L);
        assertThat(((WorkCommand.Claim) read("claim", "{\"work_id\":\"w\",\"ttl_seconds\":90,\"lease_ttl_s\":90}"))
                .leaseTtlSeconds()).isEqualTo(90L);
        assertThat(refuse("claim", "{\"work_id\":\"w\",\"ttl_seconds\":90,\"lease_ttl_s\":30}").details())
                .containsEntry("field", "lease_ttl_s");
        WorkCommand.Claim plain = (WorkCommand.Claim) read("claim", "{\"work_id\":\"w\"}");
        assertThat(plain.leaseTtlSeconds()).isNull();
        assertThat(plain.resources()).isEmpty();
        assertThat(plain.mode()).isEqualTo(ReservationMode.EXCLUSIVE);
    }

    @Test
    void enqueueAppliesDefaultsAndDeduplicatesLists() {
        WorkCommand.Enqueue e = (WorkCommand.Enqueue) read("enqueue", """
                {"work_id":"w","capabilities_needed":["python","python"],"depends_on":["a"]}""");

        assertThat(e).isEqualTo(new WorkCommand.Enqueue("w", null, List.of("python"), 2, List.of("a"), 3));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            claim    | {"work_id":"w","lease_ttl_s":0}                    | lease_ttl_s
            claim    | {"work_id":"w","ttl_seconds":"5"}                  | ttl_seconds
            claim    | {"work_id":"w","mode":"exclusive-ish"}             | mode
            claim    | {"work_id":"w","resources":"src/**"}               | resources
            claim    | {"work_id":"w","resources":["/etc/passwd"]}        | resources
            renew    | {"work_id":"w","fencing_token":-1}                 | fencing_token
            complete | {"work_id":"w","fencing_token":1.5}                | fencing_token
            fail     | {"work_id":"w","reason":42}                        | reason
            enqueue  | {"work_id":"w","priority":5}                       | priority
            enqueue  | {"work_id":"w","max_attempts":0}                   | max_attempts
            enqueue  | {"work_id":"w","capabilities_needed":[""]}         | capabilities_needed
            enqueue  | {"work_id":"w","depends_on":"a"}                   | depends_on
            next     | {"lease_ttl_s":"long"}                             | lease_ttl_s
            """)
    void invalidFieldsAreNamed(String action, String body, String field) {
        NexusException e = refuse(action, body);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.details()).containsEntry("field", field);
    }

    @Test
    void workIdIsRequiredExceptForNext() {
        for (String action : List.of("claim", "renew", "release", "complete", "fail", "enqueue")) {
            assertThat(refuse(action, "{}").code()).as(action).isEqualTo(ErrorCode.MISSING_FIELD);
        }
        assertThat(read("next", "{}")).isEqualTo(new WorkCommand.Next(null));
    }

    private static WorkCommand read(String action, String json) {
        try {
            JsonNode body = WireJson.mapper().readTree(json);
            return WorkCommandReader.read(action, body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NexusException refuse(String action, String json) {
        return catchThrowableOfType(NexusException.class, () -> read(action, json));
    }
}
