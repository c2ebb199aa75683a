package dev.orchardmdm.store;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Key rotation: re-seals every encrypted column with the cipher's current (primary) key. Run it
 * after adding a new primary key to the configured {@code SecretBox}; once it has finished, the old
 * key can be removed. Each value is opened with its context and sealed again, compare-and-set per
 * row, in batches; rows changed meanwhile are left to the next run.
 */
public final class SecretRewrap extends Repository {
    private static final int BATCH = 200;

    /** An encrypted column: physical table, column, the SQL of its row key, and the context table name. */
    private record Column(String table, String column, String rowKeySql, String contextTable) {
    }

    private static final List<Column> COLUMNS = buildColumns();

    public SecretRewrap(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    private static List<Column> buildColumns() {
        List<Column> columns = new java.util.ArrayList<>();
        columns.add(new Column("push_certificates", "private_key", "id", "push_certificates"));
        for (DeviceSecret s : DeviceSecret.values()) {
            columns.add(new Column(DeviceRepository.TABLE, s.column(), "udid", DeviceRepository.TABLE));
        }
        columns.add(new Column("command_queue", "secret_arguments", "uuid", CommandQueue.SECRET_TABLE));
        columns.add(new Column("command_history", "secret_arguments", "uuid", CommandQueue.SECRET_TABLE));
        columns.add(new Column("recovery_password_configs", "static_password", "id", "recovery_password_configs"));
        for (String c : new String[] {"private_key", "consumer_secret", "access_secret"}) {
            columns.add(new Column("dep_tokens", c, "id", "dep_tokens"));
        }
        columns.add(new Column("locations", "server_token", "id", "locations"));
        return List.copyOf(columns);
    }

    /**
     * Re-seals every encrypted value with the primary key.
     *
     * @return the number of values re-sealed
     * @throws SecretUnavailableException if a value cannot be opened with the configured keys
     */
    public long rewrapAll() throws StoreException {
        long total = 0;
        for (Column c : COLUMNS) {
            long lastId = Long.MIN_VALUE;
            while (true) {
                long after = lastId;
                List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery("SELECT id, " + c.rowKeySql() + " AS row_key, "
                                + c.column() + " AS sealed FROM " + c.table() + " WHERE " + c.column() + " IS NOT NULL AND id > :after"
                                + " ORDER BY id LIMIT " + BATCH).bind("after", after)
                        .map((rs, ctx) -> Map.<String, Object>of("id", rs.getLong("id"), "key", rs.getString("row_key"),
                                "sealed", rs.getBytes("sealed"))).list());
                if (rows.isEmpty()) {
                    break;
                }
                List<Object[]> updates = new java.util.ArrayList<>();
                for (Map<String, Object> row : rows) {
                    String key = String.valueOf(row.get("key"));
                    byte[] old = (byte[]) row.get("sealed");
                    byte[] fresh = secrets.seal(c.contextTable(), c.column(), key, secrets.open(c.contextTable(), c.column(), key, old));
                    updates.add(new Object[] {row.get("id"), old, fresh});
                    lastId = (Long) row.get("id");
                }
                total += tx(h -> {
                    int n = 0;
                    for (Object[] u : updates) {
                        n += h.createUpdate("UPDATE " + c.table() + " SET " + c.column() + " = :fresh WHERE id = :id AND "
                                + c.column() + " = :old").bind("fresh", (byte[]) u[2]).bind("id", (Long) u[0])
                                .bind("old", (byte[]) u[1]).execute();
                    }
                    return n;
                });
            }
        }
        return total;
    }
}
