package io.tether.gateway.mqtt;

/**
 * Reading from a connection's socket, which its session stops while it holds all it may of the client's PUBLISHes:
 * back-pressure for MQTT 3.1.1, which has no Receive Maximum to tell a client how many it may have outstanding.
 * Called on the connection's event loop.
 */
public interface SocketReading {
    /** A socket whose reading cannot be stopped (its pipeline was out of reach). */
    SocketReading UNPAUSABLE = new SocketReading() {
        @Override
        public boolean pause() {
            return false;
        }

        @Override
        public void resume() {
        }
    };

    /**
     * Stops reading from the socket; packets already read still arrive. False when reading cannot be stopped.
     */
    boolean pause();

    /** Reads on. */
    void resume();
}
