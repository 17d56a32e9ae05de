package io.tether.pushoptions;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The push options cannot become a valid notification. fanout answers them as {@code application/problem+json}
 * naming each field before accepting the message; push-service (which should never see them) fails the push with
 * {@code bad-push-options: <message>}.
 */
public final class BadPushOptionsException extends RuntimeException {
    /**
     * @param field as the REST API names it: {@code push.sound.volume}, {@code to.activity}, {@code payload}
     */
    public record Violation(String field, String message) {
        @Override
        public String toString() {
            return field + " " + message;
        }
    }

    private final List<Violation> violations;

    public BadPushOptionsException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public BadPushOptionsException(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    public List<Violation> violations() {
        return violations;
    }
}
