package io.tether.registry.device;

/** A device kept changing while the registry tried to change it: the caller may retry (409). */
public class ConcurrentChangeException extends RuntimeException {
    public ConcurrentChangeException(String what) {
        super("the device changed concurrently during " + what + "; retry", null, false, false);
    }
}
