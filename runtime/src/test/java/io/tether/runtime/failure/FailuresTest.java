package io.tether.runtime.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private static final String OOM_REDIS_7 = "OOM command not allowed when used memory > 'maxmemory'.";
    private static final String OOM_IN_A_SCRIPT_REDIS_6 = "ERR Error running script (call to f_0a1b): @user_script:3: "
            + "@user_script: 3: -OOM command not allowed when used memory > 'maxmemory'.";

    @Test
    void aFullRedisIsTransientForConsumersAndAnOutageForRequestsInEitherReplyForm() {
        for (String reply : new String[] {OOM_REDIS_7, OOM_IN_A_SCRIPT_REDIS_6}) {
            RedisCommandExecutionException oom = new RedisCommandExecutionException(reply);
            assertTrue(Failures.isTransient(oom), reply);
            assertTrue(Failures.isOutage(new CompletionException(oom)), reply);
        }
    }

    @Test
    void redisNotAnsweringIsAnOutage() {
        assertTrue(Failures.isOutage(new CompletionException(new RedisCommandTimeoutException("Command timed out after 2 second(s)"))));
        assertTrue(Failures.isOutage(new RedisConnectionException("Unable to connect to localhost:6379")));
        assertTrue(Failures.isOutage(new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory")));
    }

    @Test
    void aKafkaTimeoutIsAnOutageAndAKafkaRefusalIsNot() {
        assertTrue(Failures.isOutage(new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s)")));
        assertFalse(Failures.isOutage(new TopicAuthorizationException("Not authorized to access topics: [tether.downstream]")));
    }

    @Test
    void aScriptRefusingItsInputABugOrAnIoErrorIsNoOutage() {
        assertFalse(Failures.isOutage(new RedisCommandExecutionException("ERR user_script:3: bad argument")));
        assertFalse(Failures.isOutage(new IllegalStateException("a bug")));
        assertFalse(Failures.isOutage(new UncheckedIOException(new IOException("cannot serialize"))));
    }

    @Test
    void refusedCredentialsAreFoundBehindTheConnectFailureAndStayTransientAndAnOutageForARunningService() {
        RedisConnectionException wrongPassword = new RedisConnectionException("Unable to connect to 127.0.0.1:6379",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair or user is disabled."));
        assertEquals(Optional.of("WRONGPASS invalid username-password pair or user is disabled."),
                Failures.credentialRefusal(new CompletionException(wrongPassword)));
        assertEquals(Optional.of("NOAUTH Authentication required."),
                Failures.credentialRefusal(new RedisCommandExecutionException("NOAUTH Authentication required.")));
        assertTrue(Failures.isTransient(wrongPassword), "a running service keeps retrying: its records must not be dead-lettered");
        // A running service's command refused after its ACL rights changed comes as a plain reply.
        RedisCommandExecutionException noPermission = new RedisCommandExecutionException(
                "NOPERM User tether has no permissions to run the 'evalsha' command");
        assertTrue(Failures.isTransient(noPermission));
        assertTrue(Failures.isOutage(new CompletionException(noPermission)), "REST answers 503, not 500");
    }

    @Test
    void aRedisThatIsAwayOrRefusesACommandRefusesNoCredentials() {
        assertEquals(Optional.empty(), Failures.credentialRefusal(new RedisConnectionException("Unable to connect to localhost:6379")));
        assertEquals(Optional.empty(), Failures.credentialRefusal(new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory")));
        assertEquals(Optional.empty(), Failures.credentialRefusal(new RedisCommandExecutionException("ERR user_script:3: bad argument")));
    }
}
