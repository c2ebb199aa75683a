package dev.orchardmdm.store;

import java.util.List;

/** The kinds of enrollment session, each with its status machine (a fixed sequence of statuses). */
public enum SessionKind {
    /** OTA: profile service phases 1 to 3, then the MDM Authenticate, then the first TokenUpdate. */
    OTA(List.of(SessionStatus.PHASE_1, SessionStatus.PHASE_2, SessionStatus.PHASE_3,
            SessionStatus.AUTHENTICATED, SessionStatus.COMPLETED)),
    /** ADE: the enrollment profile is fetched, then Authenticate, then TokenUpdate. */
    DEP(List.of(SessionStatus.STARTED, SessionStatus.AUTHENTICATED, SessionStatus.COMPLETED)),
    /** User enrollment; the account-driven flow starts two steps earlier. */
    USER(List.of(SessionStatus.ACCOUNT_DRIVEN_START, SessionStatus.ACCOUNT_DRIVEN_AUTHENTICATED,
            SessionStatus.STARTED, SessionStatus.AUTHENTICATED, SessionStatus.COMPLETED)),
    /** Re-enrollment (identity certificate renewal) of an enrolled device. */
    REENROLLMENT(List.of(SessionStatus.STARTED, SessionStatus.AUTHENTICATED, SessionStatus.COMPLETED));

    private final List<SessionStatus> sequence;

    SessionKind(List<SessionStatus> sequence) {
        this.sequence = sequence;
    }

    /** The statuses of this kind, in order. */
    public List<SessionStatus> sequence() {
        return sequence;
    }

    /** Whether a session of this kind may start in {@code status} (the first one; user: also STARTED). */
    public boolean canStartIn(SessionStatus status) {
        return status == sequence.get(0) || (this == USER && status == SessionStatus.STARTED);
    }

    /** Whether a session of this kind may move from {@code from} to {@code to} (the next status only). */
    public boolean allows(SessionStatus from, SessionStatus to) {
        int i = sequence.indexOf(from);
        return i >= 0 && i + 1 < sequence.size() && sequence.get(i + 1) == to;
    }
}
