package io.tether.rest.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class UnsizedBodyLimitTest {
    private static InputStream limited(int bodyBytes, long maxBytes) {
        return new UnsizedBodyLimit.Limited(new ByteArrayInputStream(new byte[bodyBytes]), maxBytes, "too large");
    }

    @Test
    void aBodyOfExactlyTheLimitIsReadWhole() throws IOException {
        assertArrayEquals(new byte[10], limited(10, 10).readAllBytes());
    }

    @Test
    void theReadThatGoesBeyondTheLimitFails() {
        InputStream in = limited(11, 10);
        UnsizedBodyLimit.TooLarge refused = assertThrows(UnsizedBodyLimit.TooLarge.class, in::readAllBytes);
        assertEquals("too large", refused.getMessage());
    }

    @Test
    void singleBytesAndSkipsCountToo() throws IOException {
        InputStream in = limited(11, 10);
        assertEquals(5, in.skip(5));
        for (int i = 0; i < 5; i++) {
            assertEquals(0, in.read());
        }
        assertThrows(UnsizedBodyLimit.TooLarge.class, in::read);
    }
}
