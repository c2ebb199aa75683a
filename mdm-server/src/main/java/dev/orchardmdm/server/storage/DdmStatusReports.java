package dev.orchardmdm.server.storage;

import dev.orchardmdm.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The last declarative-management status report of each enrollment channel (JSON, as received). */
public final class DdmStatusReports {
    private final Database database;
    private final Clock clock;

    public DdmStatusReports(Database database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A stored report. */
    public record Report(String enrollmentId, String json, Instant receivedAt) {
    }

    /** Stores {@code json} as the latest report of {@code enrollmentId}. */
    public void store(String enrollmentId, String json) {
        long now = clock.millis();
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO ddm_status_reports (enrollment_id, report, received_at)"
                        + " VALUES (:e, :r, :now) ON CONFLICT (enrollment_id) DO UPDATE SET report = :r, received_at = :now")
                .bind("e", enrollmentId).bind("r", json).bind("now", now).execute());
    }

    /** The latest report of {@code enrollmentId}. */
    public Optional<Report> latest(String enrollmentId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT enrollment_id, report, received_at FROM ddm_status_reports WHERE enrollment_id = :e")
                .bind("e", enrollmentId)
                .map((rs, ctx) -> new Report(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))))
                .findOne());
    }
}
