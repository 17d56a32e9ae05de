package io.tether.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2 client over a plain socket, one connection per call: enough to probe and seed a
 * Redis the testkit started, without putting a Redis client library on every test classpath.
 */
public final class Resp {
    /** Commands written before their replies are read: bounds what either side buffers. */
    private static final int PIPELINE_BATCH = 1000;

    private Resp() {
    }

    /**
     * Sends one command to 127.0.0.1:{@code port} and returns the reply: String for simple and bulk
     * strings, Long for integers, List for arrays, null for nil.
     *
     * @throws RespException when Redis answers with an error
     */
    public static Object call(int port, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /**
     * Sends every command on one connection, pipelined in batches (one round trip per batch, not per command), and
     * returns the replies in order: what polling the state of thousands of keys needs.
     *
     * @throws RespException when Redis answers any of them with an error
     */
    public static List<Object> callAll(int port, List<String[]> commands) throws IOException {
        List<Object> replies = new ArrayList<>(commands.size());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            for (int from = 0; from < commands.size(); from += PIPELINE_BATCH) {
                int to = Math.min(commands.size(), from + PIPELINE_BATCH);
                for (int i = from; i < to; i++) {
                    out.write(encode(commands.get(i)));
                }
                out.flush();
                for (int i = from; i < to; i++) {
                    replies.add(read(in));
                }
            }
        }
        return replies;
    }

    private static byte[] encode(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            buffer.writeBytes(bytes);
            buffer.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        return buffer.toByteArray();
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RespException(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2); // value + CRLF
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply (type byte " + type + ")");
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed mid-reply");
            }
            line.write(b);
        }
        in.read(); // '\n'
        return line.toString(StandardCharsets.UTF_8);
    }

    /** An error reply from Redis ({@code -ERR ...}). */
    public static final class RespException extends IOException {
        public RespException(String message) {
            super(message);
        }
    }
}
