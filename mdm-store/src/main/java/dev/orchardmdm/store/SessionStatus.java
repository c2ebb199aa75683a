package dev.orchardmdm.store;

/** Status of an enrollment session (the union of Zentral's per-kind status machines). */
public enum SessionStatus {
    PHASE_1,
    PHASE_2,
    PHASE_3,
    ACCOUNT_DRIVEN_START,
    ACCOUNT_DRIVEN_AUTHENTICATED,
    STARTED,
    AUTHENTICATED,
    COMPLETED
}
