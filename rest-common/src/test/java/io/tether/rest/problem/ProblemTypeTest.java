package io.tether.rest.problem;

import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProblemTypeTest {

    @Test
    void typesAreStableUrns() {
        assertEquals("urn:tether:problem:validation", ProblemType.VALIDATION.uri());
        assertEquals("urn:tether:problem:malformed-json", ProblemType.MALFORMED_JSON.uri());
        assertEquals("urn:tether:problem:payload-too-large", ProblemType.PAYLOAD_TOO_LARGE.uri());
        assertEquals("urn:tether:problem:not-found", ProblemType.NOT_FOUND.uri());
        assertEquals(ProblemType.values().length,
                new HashSet<>(Arrays.stream(ProblemType.values()).map(ProblemType::uri).toList()).size());
    }

    @Test
    void bareStatusesMapToTheirTypeAndBadRequestIsValidation() {
        assertEquals(Optional.of(ProblemType.NOT_FOUND), ProblemType.forStatus(404));
        assertEquals(Optional.of(ProblemType.VALIDATION), ProblemType.forStatus(400));
        assertEquals(Optional.of(ProblemType.UNAVAILABLE), ProblemType.forStatus(503));
        assertTrue(ProblemType.forStatus(405).isEmpty());
    }

    @Test
    void downloadTypesAreNeverChosenForABareStatus() {
        assertEquals(Optional.of(ProblemType.FORBIDDEN), ProblemType.forStatus(403));
        assertTrue(ProblemType.forStatus(410).isEmpty());
        assertTrue(ProblemType.forStatus(416).isEmpty());
        assertEquals("urn:tether:problem:download-expired", ProblemType.DOWNLOAD_EXPIRED.uri());
    }

    @Test
    void statusWithoutTetherTypeIsAboutBlankWithReasonPhrase() {
        Problem problem = Problem.ofStatus(405, "Method Not Allowed", "/v1/x");
        assertEquals(Problem.ABOUT_BLANK, problem.type());
        assertEquals("Method Not Allowed", problem.title());
        assertEquals(405, problem.status());
    }

    @Test
    void problemExceptionCarriesItsTypeAndHasNoStackTrace() {
        ProblemException e = ProblemException.notFound("no device abc");
        Problem problem = e.toProblem("/v1/devices/abc");
        assertEquals(404, problem.status());
        assertEquals("urn:tether:problem:not-found", problem.type());
        assertEquals("no device abc", problem.detail());
        assertEquals(0, e.getStackTrace().length);
    }
}
