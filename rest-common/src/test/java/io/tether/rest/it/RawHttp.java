package io.tether.rest.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One HTTP/1.1 connection, written by hand: a body sent chunked for as long as a test wants, and what then becomes
 * of the connection, which no HTTP client shows. Reads only answers with a Content-Length (all a test needs here).
 */
final class RawHttp implements AutoCloseable {
    /** An answer: status, headers (names in lower case) and body. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttp(URI base) throws IOException {
        socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(30_000); // a read that never gets an answer fails the test instead of hanging it
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    void startChunkedPost(String path, String bearer) throws IOException {
        write("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + bearer
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    }

    void chunk(byte[] data) throws IOException {
        write(Integer.toHexString(data.length) + "\r\n");
        out.write(data);
        write("\r\n");
    }

    void lastChunk() throws IOException {
        write("0\r\n\r\n");
    }

    void get(String path) throws IOException {
        write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }

    Answer answer() throws IOException {
        String status = line();
        Map<String, String> headers = new HashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server closed the connection: end of stream (or a reset) where a next answer would be. */
    boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed in the middle of an answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
