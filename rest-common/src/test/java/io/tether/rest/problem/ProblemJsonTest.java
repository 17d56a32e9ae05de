package io.tether.rest.problem;

import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void serializesRfc9457MembersAndOmitsEmptyErrors() throws Exception {
        JsonNode json = mapper.valueToTree(Problem.of(ProblemType.NOT_FOUND, "no such device", "/v1/devices/x"));
        assertEquals("urn:tether:problem:not-found", json.get("type").asText());
        assertEquals("Not found", json.get("title").asText());
        assertEquals(404, json.get("status").asInt());
        assertEquals("no such device", json.get("detail").asText());
        assertEquals("/v1/devices/x", json.get("instance").asText());
        assertFalse(json.has("errors"));
    }

    @Test
    void serializesFieldErrors() {
        JsonNode json = mapper.valueToTree(Problem.of(ProblemType.VALIDATION, "invalid fields: platform", null,
                List.of(new Problem.FieldError("platform", "must not be null"))));
        assertEquals("platform", json.get("errors").get(0).get("field").asText());
        assertEquals("must not be null", json.get("errors").get(0).get("message").asText());
        assertFalse(json.has("instance"));
    }
}
