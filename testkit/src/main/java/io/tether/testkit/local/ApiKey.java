package io.tether.testkit.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The bootstrap API key of a local run: given, kept from an earlier run, or new. */
final class ApiKey {
    private ApiKey() {
    }

    /** {@code given} if set; else the key in {@code file}; else a new key written to {@code file} (mode 600). */
    static String resolve(String given, Path file) throws IOException {
        if (given != null) {
            return given;
        }
        if (Files.exists(file)) {
            String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!kept.isEmpty()) {
                return kept;
            }
            Files.delete(file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String key = "tk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        // Created owner-only before the key is written, so it is never readable by others.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        return key;
    }
}
