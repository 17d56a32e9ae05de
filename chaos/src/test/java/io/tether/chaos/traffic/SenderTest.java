package io.tether.chaos.traffic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class SenderTest {

    @Test
    void aRequestThatFoundNoServerWasCertainlyNotAccepted() {
        assertTrue(Sender.neverSent(new ConnectException("Connection refused")));
        assertTrue(Sender.neverSent(new HttpConnectTimeoutException("connect timed out")));
        assertTrue(Sender.neverSent(new IOException(new ConnectException("Connection refused"))));
    }

    @Test
    void aRequestThatTimedOutOrLostItsConnectionMayHaveBeenAccepted() {
        assertFalse(Sender.neverSent(new HttpTimeoutException("request timed out")));
        assertFalse(Sender.neverSent(new IOException("HTTP/1.1 header parser received no bytes")));
    }
}
