package io.tether.rest.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** How a failure nobody mapped on purpose is answered: an outage of a store is 503, anything else 500. */
class ProblemExceptionMappersTest {
    private final ProblemExceptionMappers mappers = new ProblemExceptionMappers();

    private static Problem problem(Response response) {
        return (Problem) response.getEntity();
    }

    @Test
    void aRedisTimeoutIs503WithRetryAfterNot500() {
        Response response = mappers.unexpected(new CompletionException(new RedisCommandTimeoutException("Command timed out after 2 second(s)")), null);

        assertEquals(503, response.getStatus());
        assertEquals("1", response.getHeaderString("Retry-After"));
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        assertEquals(ProblemType.UNAVAILABLE.uri(), problem(response).type());
    }

    @Test
    void aFullRedisIs503() {
        Response response = mappers.unexpected(
                new RedisCommandExecutionException("OOM command not allowed when used memory > 'maxmemory'."), null);

        assertEquals(503, response.getStatus());
    }

    @Test
    void aBugIs500WithoutRetryAfter() {
        Response response = mappers.unexpected(new IllegalStateException("a bug"), null);

        assertEquals(500, response.getStatus());
        assertNull(response.getHeaderString("Retry-After"));
        assertEquals(ProblemType.INTERNAL.uri(), problem(response).type());
    }

    @Test
    void aKafkaTimeoutIs503() {
        Response response = mappers.unexpected(new CompletionException(
                new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s) for tether.downstream-3")), null);

        assertEquals(503, response.getStatus());
    }

    @Test
    void aScriptRefusingItsInputIs500() {
        Response response = mappers.unexpected(new RedisCommandExecutionException("ERR user_script:3: bad argument"), null);

        assertEquals(500, response.getStatus());
    }
}
