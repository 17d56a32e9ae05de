package io.tether.bench.stack;

import java.util.ArrayList;
import java.util.List;

/** What a run started, closed newest first (services before the brokers they use); a failure to close is reported, not thrown. */
public final class Started implements AutoCloseable {
    private final List<AutoCloseable> started = new ArrayList<>();

    public synchronized <T extends AutoCloseable> T add(T closeable) {
        started.add(closeable);
        return closeable;
    }

    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("bench: stopping " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }
}
