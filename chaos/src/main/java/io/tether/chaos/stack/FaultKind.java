package io.tether.chaos.stack;

import java.util.Locale;

/** SIGKILL and an immediate restart, or SIGSTOP for a while and SIGCONT. */
public enum FaultKind {
    KILL("kill -9 + restart"),
    STOP("SIGSTOP 10 s + SIGCONT");

    private final String description;

    FaultKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public static FaultKind parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "kill", "sigkill", "crash" -> KILL;
            case "stop", "sigstop", "freeze" -> STOP;
            default -> throw new IllegalArgumentException("unknown fault " + name + " (kill, stop)");
        };
    }
}
