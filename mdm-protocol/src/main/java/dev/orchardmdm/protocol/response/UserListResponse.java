package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** UserList: the local (macOS) or Shared iPad users. */
public record UserListResponse(List<User> users) {

    /** One user. */
    public record User(String userName, Optional<String> fullName, Optional<Long> uid, Optional<String> userGuid,
                       boolean isLoggedIn, boolean hasDataToSync, Optional<Long> dataQuota, Optional<Long> dataUsed,
                       boolean mobileAccount, boolean hasSecureToken) {
    }

    /** Decodes a UserList report. */
    public static UserListResponse from(CommandReport report) throws InvalidMessageException {
        List<User> out = new ArrayList<>();
        for (PlistDict u : report.raw().dictArray("Users")) {
            out.add(new User(u.requireString("UserName"), u.string("FullName"), u.integer("UID"),
                    u.string("UserGUID"), u.flag("IsLoggedIn"), u.flag("HasDataToSync"), u.integer("DataQuota"),
                    u.integer("DataUsed"), u.flag("MobileAccount"), u.flag("HasSecureToken")));
        }
        return new UserListResponse(List.copyOf(out));
    }
}
