package dev.orchardmdm.dep.ade;

import java.time.Instant;
import java.util.List;

/**
 * One page of {@code server/devices} or {@code devices/sync}.
 *
 * @param devices      the devices of this page
 * @param cursor       the cursor for the next page (and, on the last page, for the next delta sync)
 * @param moreToFollow {@code more_to_follow}
 * @param fetchedUntil {@code fetched_until}, when sent
 */
public record DevicePage(List<AdeDevice> devices, String cursor, boolean moreToFollow, Instant fetchedUntil) {
    public DevicePage {
        devices = List.copyOf(devices);
    }
}
