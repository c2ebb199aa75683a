package dev.orchardmdm.dep;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where an MDM server learns which devices Apple Business / School Manager assigned to it, and how it makes them
 * enroll with it. Implemented by {@link dev.orchardmdm.dep.ade.AdeClient} (OAuth 1 server token, legacy ADE API)
 * and by {@link dev.orchardmdm.dep.abmapi.AbmApiClient} (OAuth 2 API account, Apple School and Business Manager
 * API), so that sync code does not care which kind of credential an admin uploaded.
 *
 * <p>A sync walk either reports <em>every</em> device assigned to the server ({@link SyncResult#full()}: devices
 * not reported are gone), or only the changes since a cursor returned by an earlier walk. Implementations that
 * cannot report changes always walk in full and return no cursor.
 *
 * @param <D> the implementation's device type
 */
public interface DeviceSource<D extends SourceDevice> {

    /**
     * Walks the devices assigned to this MDM server, handing them over page by page.
     *
     * @param cursor  the cursor of an earlier walk to get only the changes since then, or {@code null} for a full
     *                walk; an expired cursor makes the source fall back to a full walk by itself
     * @param handler receives each page in order; its exceptions end the walk and propagate
     * @return what was walked and the cursor to pass next time
     */
    SyncResult syncDevices(String cursor, Consumer<? super List<D>> handler) throws AbmException;

    /**
     * Makes these devices enroll with this MDM server.
     *
     * @param enrollmentRef the source's name for "this server's enrollment": the ADE profile UUID for the ADE API,
     *                      the MDM server id for the OAuth 2 ABM API
     * @param serialNumbers the devices, by serial number (any number: the source batches them)
     * @return the outcome per serial number
     */
    AssignmentResult assignDevices(String enrollmentRef, Collection<String> serialNumbers) throws AbmException;
}
