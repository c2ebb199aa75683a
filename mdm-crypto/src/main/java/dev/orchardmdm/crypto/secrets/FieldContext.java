package dev.orchardmdm.crypto.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where an encrypted value lives: its table, column and row key. Used as the associated data of
 * the encryption, so that a ciphertext copied into another row or column fails to decrypt.
 *
 * @param table  table name, e.g. {@code enrolled_devices}
 * @param column column name, e.g. {@code filevault_prk}
 * @param rowKey a stable key of the row (a UUID, a UDID, a natural key), never a secret
 */
public record FieldContext(String table, String column, String rowKey) {
    public FieldContext {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(rowKey, "rowKey");
    }

    /** The associated-data bytes: length-prefixed fields, so that no two contexts collide. */
    public byte[] associatedData() {
        StringBuilder sb = new StringBuilder();
        for (String part : new String[] {table, column, rowKey}) {
            sb.append(part.length()).append(':').append(part).append(';');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
