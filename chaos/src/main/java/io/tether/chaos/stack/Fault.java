package io.tether.chaos.stack;

/** One fault of a run: a component and what is done to it. */
public record Fault(Component component, FaultKind kind) {
    @Override
    public String toString() {
        return component.label() + " " + kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
