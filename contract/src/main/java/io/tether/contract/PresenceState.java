package io.tether.contract;

/** Presence of a device (DESIGN.md §4). */
public enum PresenceState {
    /** Connected, app in the foreground. */
    LIVE,
    /** Connected, but the app said it is leaving the foreground. */
    BACKGROUND,
    /** Connected, but a delivery went unacknowledged: the socket is probably deaf. */
    SUSPECT,
    /** Not connected. */
    OFFLINE
}
