package io.tether.rest.problem;

import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.List;
import java.util.Optional;

/**
 * Describes a Jackson failure for the client without echoing the body: Jackson's own messages quote
 * the offending input, which may be a secret (a push token, a key), so they are never passed on.
 */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** The Jackson failure in {@code error} or its causes, if any (Quarkus REST wraps some in a WebApplicationException). */
    public static Optional<JsonProcessingException> find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return Optional.of(json);
            }
        }
        return Optional.empty();
    }

    public static Problem toProblem(JsonProcessingException error, String instance) {
        Optional<String> field = fieldPath(error);
        if (field.isPresent()) {
            String message = "has the wrong type or format";
            return Problem.of(ProblemType.MALFORMED_JSON, "field '" + field.get() + "' " + message, instance,
                    List.of(new Problem.FieldError(field.get(), message)));
        }
        return Problem.of(ProblemType.MALFORMED_JSON, "request body is not valid JSON" + where(error), instance);
    }

    /** {@code push.alert}, {@code devices[2]}: the JSON path Jackson was at, empty at the top level. */
    static Optional<String> fieldPath(JsonProcessingException error) {
        if (!(error instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return Optional.empty();
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? Optional.empty() : Optional.of(path.toString());
    }

    private static String where(JsonProcessingException error) {
        JsonLocation location = error.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
