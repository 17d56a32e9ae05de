package io.tether.fanout.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import io.tether.contract.problem.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What fanout's push check lets through to push-service, beyond the options themselves (PushOptionsTest). */
class PushOptionsCheckTest {
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void aVoipCallWhoseDataDoesNotFitItsPushIsRefusedNamingThePayload() {
        // A VoIP push goes straight to APNs and never into the inbox: a fetch hint would point at nothing.
        List<Problem.FieldError> errors = new ArrayList<>();

        assertNull(check("{\"pushType\": \"voip\"}", "v".repeat(5200), errors));

        assertEquals(List.of("payload"), errors.stream().map(Problem.FieldError::field).toList());
        assertTrue(errors.get(0).message().contains("at most 5120 bytes"), errors.get(0).message());
    }

    @Test
    void aVoipCallWhoseDataFitsFiveKilobytesIsAccepted() {
        List<Problem.FieldError> errors = new ArrayList<>();

        assertNotNull(check("{\"pushType\": \"voip\"}", "v".repeat(4500), errors));

        assertEquals(List.of(), errors);
    }

    @Test
    void anAlertWhoseDataDoesNotFitIsAcceptedTheDataWaitsInTheInbox() {
        List<Problem.FieldError> errors = new ArrayList<>();

        assertNotNull(check("{\"alert\": \"New message\"}", "x".repeat(5200), errors));

        assertEquals(List.of(), errors);
    }

    private static PushOptionsCheck.Checked check(String push, String data, List<Problem.FieldError> errors) {
        return PushOptionsCheck.check(json(push), null, data.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8", NOW,
                NOW + 60_000, null, errors);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
