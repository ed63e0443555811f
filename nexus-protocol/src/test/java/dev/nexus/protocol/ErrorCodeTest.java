package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void codesAreUniqueSnakeCaseAndCarryAnHttpErrorStatus() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"));
        assertThat(ErrorCode.values()).allSatisfy(code -> assertThat(code.httpStatus()).isBetween(400, 599));
    }

    @Test
    void statusesFollowTheWireContract() {
        assertThat(ErrorCode.MALFORMED_JSON.httpStatus()).isEqualTo(400);
        assertThat(ErrorCode.INVALID_FIELD.httpStatus()).isEqualTo(422);
        assertThat(ErrorCode.CLAIM_CONFLICT.httpStatus()).isEqualTo(409);
        assertThat(ErrorCode.TOO_LARGE.httpStatus()).isEqualTo(413);
        assertThat(ErrorCode.RATE_LIMITED.httpStatus()).isEqualTo(429);
        assertThat(ErrorCode.CLAIM_NOT_FOUND.httpStatus()).isEqualTo(404);
    }
}
