package dev.orchardmdm.dep.vpp;

import java.util.List;

/**
 * The complete result of a paged walk, read at one {@code versionId}.
 *
 * @param items     every item of every page
 * @param versionId the service's data version the walk saw throughout
 * @param pages     pages fetched
 * @param <T>       {@link Asset} or {@link Assignment}
 */
public record PagedResult<T>(List<T> items, String versionId, int pages) {
    public PagedResult {
        items = List.copyOf(items);
    }
}
