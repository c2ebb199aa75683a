package dev.orchardmdm.store.testing;

/** The two databases every store test runs on; use with {@code @EnumSource(DatabaseKind.class)}. */
public enum DatabaseKind {
    SQLITE,
    POSTGRESQL
}
