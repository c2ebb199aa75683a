package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Who manages a location's token ({@code mdmInfo} of {@code client/config}): another MDM's id here means the token is
 * used elsewhere.
 *
 * @param id       a stable id chosen by the MDM for this location
 * @param metadata free text, e.g. the MDM's host name
 * @param name     the MDM product's name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MdmInfo(String id, String metadata, String name) {
    public MdmInfo {
        Objects.requireNonNull(id, "id");
    }
}
