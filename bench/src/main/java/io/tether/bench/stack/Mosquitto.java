package io.tether.bench.stack;

import io.tether.testkit.ChildProcess;
import io.tether.testkit.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Debian's mosquitto on its own port with a generated config: authentication by a password file (the same
 * device ids and passwords Tether's registry issued, hashed the way mosquitto_passwd does: PBKDF2-SHA512, 101
 * iterations, 12-byte salt), no limit on connections, persistence off or on.
 */
public final class Mosquitto {
    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private Mosquitto() {
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** The first line of {@code mosquitto -h}, e.g. "mosquitto version 2.0.11". */
    public static String version() {
        try {
            Process p = new ProcessBuilder(BINARY.toString(), "-h").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().filter(l -> l.startsWith("mosquitto version")).findFirst().orElse("mosquitto (version unknown)");
        } catch (IOException e) {
            return "mosquitto (not runnable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "mosquitto";
        }
    }

    /**
     * Starts mosquitto on 127.0.0.1:{@code port}; {@code users} maps user names to passwords. With {@code persistence}
     * its in-memory database (sessions, queued messages) is written to {@code dir/mosquitto.db} every second (written
     * to a new file, fsync'ed, renamed) and no queue is bounded; without, nothing is written and each client's queue
     * holds at most 100,000 messages.
     */
    public static ChildProcess start(Path dir, int port, Map<String, String> users, boolean persistence) {
        if (!installed()) {
            throw new IllegalStateException("mosquitto is not installed: apt-get install -y mosquitto (bench/run does this)");
        }
        try {
            Files.createDirectories(dir);
            Path passwords = dir.resolve("passwords");
            writePasswordFile(passwords, users);
            Path config = dir.resolve("mosquitto.conf");
            Files.writeString(config, String.join("\n", configLines(dir, port, passwords, persistence)), StandardCharsets.UTF_8);
            ChildProcess proc = ChildProcess.start(persistence ? "mosquitto-persistent" : "mosquitto",
                    List.of(BINARY.toString(), "-c", config.toString()), dir, dir.resolve("mosquitto.out"));
            boolean up = Poll.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> !proc.isAlive() || listening(port));
            if (!up || !proc.isAlive()) {
                proc.close();
                throw new IllegalStateException("mosquitto did not start on " + port + ":\n" + proc.tail(20));
            }
            return proc;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto", e);
        }
    }

    /** What the report says about a configuration. */
    public static String describe(boolean persistence) {
        return persistence
                ? "persistence true, autosave_interval 1 (the whole in-memory database written, fsync'ed and renamed every "
                        + "second), max_queued_messages 0 (unbounded)"
                : "persistence false (nothing written), max_queued_messages 100000";
    }

    private static List<String> configLines(Path dir, int port, Path passwords, boolean persistence) {
        List<String> lines = new ArrayList<>(List.of(
                "# Written by io.tether.bench.stack.Mosquitto",
                "listener " + port + " 127.0.0.1",
                // Started as root, mosquitto would switch to the 'mosquitto' account, which cannot read files
                // under a private work directory (mktemp -d is mode 700); stay the user that started it.
                "user " + System.getProperty("user.name"),
                "allow_anonymous false",
                "password_file " + passwords,
                "max_connections -1",
                "max_inflight_messages 32",
                "set_tcp_nodelay true",
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type error",
                "log_type warning",
                "connection_messages false"));
        if (persistence) {
            lines.addAll(List.of("persistence true", "persistence_location " + dir + "/", "autosave_interval 1",
                    "autosave_on_changes false", "max_queued_messages 0"));
        } else {
            lines.addAll(List.of("persistence false", "max_queued_messages 100000"));
        }
        lines.add("");
        return lines;
    }

    static void writePasswordFile(Path file, Map<String, String> users) throws IOException {
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
            SecureRandom random = new SecureRandom();
            Base64.Encoder b64 = Base64.getEncoder();
            StringBuilder out = new StringBuilder(users.size() * 140);
            for (Map.Entry<String, String> user : users.entrySet()) {
                byte[] salt = new byte[12];
                random.nextBytes(salt);
                byte[] hash = pbkdf2.generateSecret(new PBEKeySpec(user.getValue().toCharArray(), salt, 101, 512)).getEncoded();
                out.append(user.getKey()).append(":$7$101$").append(b64.encodeToString(salt)).append('$')
                        .append(b64.encodeToString(hash)).append('\n');
            }
            Files.writeString(file, out, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 unavailable", e);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
