package dev.orchardmdm.dep;

/**
 * The outcome of one {@link DeviceSource#syncDevices} walk.
 *
 * @param full          true when every device assigned to the server was reported (devices not reported are gone)
 * @param cursor        the cursor to pass to the next walk to get only later changes; null when the source has none
 * @param devices       how many device records were handed over
 * @param pages         how many pages were fetched
 * @param cursorExpired true when a delta walk was asked for but the service had expired the cursor, so a full walk
 *                      was done instead
 */
public record SyncResult(boolean full, String cursor, long devices, int pages, boolean cursorExpired) {
}
