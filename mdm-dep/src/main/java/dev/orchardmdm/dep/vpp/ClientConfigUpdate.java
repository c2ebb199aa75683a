package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * The body of {@code POST client/config}: claims the token for this MDM and subscribes to notifications.
 *
 * @param mdmInfo               this MDM
 * @param notificationUrl       where Apple posts notifications (https)
 * @param notificationAuthToken the bearer token Apple will present to {@code notificationUrl}
 * @param notificationTypes     e.g. {@code ASSET_MANAGEMENT}, {@code ASSET_COUNT}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientConfigUpdate(MdmInfo mdmInfo, String notificationUrl, String notificationAuthToken,
                                 List<String> notificationTypes) {
    public ClientConfigUpdate {
        Objects.requireNonNull(mdmInfo, "mdmInfo");
        notificationTypes = notificationTypes == null ? null : List.copyOf(notificationTypes);
    }

    @Override
    public String toString() {
        return "ClientConfigUpdate[mdmInfo=" + mdmInfo + ", notificationUrl=" + notificationUrl
                + ", notificationTypes=" + notificationTypes + "]";
    }
}
