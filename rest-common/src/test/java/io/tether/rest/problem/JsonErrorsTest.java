package io.tether.rest.problem;

import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {
    private final ObjectMapper mapper = new ObjectMapper();

    record Push(String alert, int badge) {
    }

    record Body(String platform, List<Integer> counts, Push push) {
    }

    @Test
    void syntaxErrorSaysWhereButNotWhat() {
        JsonProcessingException e = failure("{\"platform\": secret-value}");
        Problem problem = JsonErrors.toProblem(e, "/v1/x");
        assertEquals(ProblemType.MALFORMED_JSON.uri(), problem.type());
        assertEquals(400, problem.status());
        assertTrue(problem.detail().startsWith("request body is not valid JSON (line 1"), problem.detail());
        assertFalse(problem.toString().contains("secret"), "must not echo the input");
    }

    @Test
    void wrongTypeNamesTheFieldPath() {
        assertEquals("platform", field("{\"platform\": {\"a\": 1}}"));
        assertEquals("counts[1]", field("{\"counts\": [1, \"x\"]}"));
        assertEquals("push.badge", field("{\"push\": {\"badge\": \"many\"}}"));
    }

    @Test
    void findsJacksonCauseInsideWrapper() {
        JsonProcessingException e = failure("{");
        WebApplicationException wrapped = new WebApplicationException(e, 400);
        assertEquals(e, JsonErrors.find(wrapped).orElseThrow());
        assertTrue(JsonErrors.find(new IllegalStateException("x")).isEmpty());
    }

    private String field(String json) {
        Problem problem = JsonErrors.toProblem(failure(json), null);
        assertEquals(1, problem.errors().size(), problem.toString());
        return problem.errors().get(0).field();
    }

    private JsonProcessingException failure(String json) {
        return assertThrows(JsonProcessingException.class, () -> mapper.readValue(json, Body.class));
    }
}
