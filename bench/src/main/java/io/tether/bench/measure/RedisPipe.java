package io.tether.bench.measure;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A pipelined RESP2 client on one socket: reads the presence of thousands of devices in a few round trips. */
public final class RedisPipe implements AutoCloseable {
    private static final int BATCH = 2000;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RedisPipe(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to Redis on " + port, e);
        }
    }

    /** {@code HMGET key fields...} for every key, pipelined; one list of values (null when absent) per key. */
    public synchronized List<List<String>> hmget(List<String> keys, String... fields) {
        List<List<String>> result = new ArrayList<>(keys.size());
        try {
            for (int from = 0; from < keys.size(); from += BATCH) {
                int to = Math.min(keys.size(), from + BATCH);
                for (int i = from; i < to; i++) {
                    String[] args = new String[fields.length + 2];
                    args[0] = "HMGET";
                    args[1] = keys.get(i);
                    System.arraycopy(fields, 0, args, 2, fields.length);
                    write(args);
                }
                out.flush();
                for (int i = from; i < to; i++) {
                    @SuppressWarnings("unchecked")
                    List<String> values = (List<String>) (List<?>) read();
                    result.add(values);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis pipeline failed", e);
        }
    }

    /** One command, answered. */
    public synchronized Object call(String... args) {
        try {
            write(args);
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis call failed", e);
        }
    }

    private void write(String... args) throws IOException {
        out.write(('*' + String.valueOf(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            out.write(('$' + String.valueOf(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("Redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + (char) type);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
