package io.tether.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Which build a checkout holds, for the report: its commit, and whether files differ from it. */
public final class BuildInfo {
    private BuildInfo() {
    }

    /** E.g. {@code d90b994 "bench: mosquitto keeps …" (+ uncommitted changes)}; "unknown" outside a git checkout. */
    public static String describe(Path root) {
        String head = git(root, "log", "-1", "--format=%h \"%s\"");
        if (head.isEmpty()) {
            return "unknown (not a git checkout)";
        }
        String dirty = git(root, "status", "--porcelain", "--untracked-files=no");
        return head + (dirty.isEmpty() ? "" : " (+ uncommitted changes)");
    }

    private static String git(Path root, String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "";
            }
            return out.length() > 100 ? out.substring(0, 100) + "…\"" : out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
