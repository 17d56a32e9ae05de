package io.tether.rest.problem;

import io.tether.contract.problem.Problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Turns Bean Validation violations into {@link Problem.FieldError}s named as the client sent them. */
public final class ViolationErrors {
    private static final Comparator<Problem.FieldError> ORDER =
            Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message);

    private ViolationErrors() {
    }

    /** Sorted and without duplicates (constraints on record components are checked on field and accessor). */
    public static List<Problem.FieldError> of(Set<? extends ConstraintViolation<?>> violations) {
        TreeSet<Problem.FieldError> errors = new TreeSet<>(ORDER);
        for (ConstraintViolation<?> violation : violations) {
            errors.add(new Problem.FieldError(fieldName(violation.getPropertyPath()), violation.getMessage()));
        }
        return List.copyOf(errors);
    }

    /** True when the violation is about what a method returned: a server bug, not a bad request. */
    public static boolean isReturnValue(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client-facing name of a property path. {@code create.body.platform} becomes {@code platform},
     * {@code send.body.push.alert} becomes {@code push.alert}, {@code send.body.devices[2]} becomes
     * {@code devices[2]}; a violation on a parameter itself ({@code get.id}) is named by the parameter.
     */
    public static String fieldName(Path path) {
        List<String> properties = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : path) {
            boolean named = false;
            switch (node.getKind()) {
                case PARAMETER -> {
                    parameter = node.getName();
                    properties.clear();
                }
                case PROPERTY, CONTAINER_ELEMENT -> {
                    // "<list element>", "<map value>": placeholders, not names the client used
                    if (node.getName() != null && !node.getName().startsWith("<")) {
                        properties.add(node.getName());
                        named = true;
                    }
                }
                default -> {
                    // METHOD, CONSTRUCTOR, BEAN, CROSS_PARAMETER, RETURN_VALUE: nothing the client named
                }
            }
            // A node "in an iterable" carries the index of the element of the container *before* it.
            Object position = node.getIndex() != null ? node.getIndex() : node.getKey();
            int container = properties.size() - (named ? 2 : 1);
            if (node.isInIterable() && position != null && container >= 0) {
                properties.set(container, properties.get(container) + "[" + position + "]");
            }
        }
        if (!properties.isEmpty()) {
            return String.join(".", properties);
        }
        if (parameter != null) {
            return parameter;
        }
        String text = path.toString();
        return text.isEmpty() ? "(request)" : text;
    }
}
