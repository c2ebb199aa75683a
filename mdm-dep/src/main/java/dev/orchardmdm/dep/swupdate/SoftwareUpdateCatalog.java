package dev.orchardmdm.dep.swupdate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apple's software-update catalog ({@code https://gdmf.apple.com/v2/pmv}) as typed releases, with the selection an
 * MDM makes for one device.
 *
 * @param releases every release of every channel and platform
 */
public record SoftwareUpdateCatalog(List<SoftwareRelease> releases) {

    /** The most releases accepted from one catalog (Apple's has a few hundred). */
    public static final int MAX_RELEASES = 100_000;

    private static final Pattern VERSION = Pattern.compile("(\\d{1,4})(?:\\.(\\d{1,4}))?(?:\\.(\\d{1,4}))?");

    public SoftwareUpdateCatalog {
        releases = List.copyOf(releases);
    }

    /** Parses the catalog JSON; a malformed release is an {@link AbmResponseException}. */
    public static SoftwareUpdateCatalog parse(byte[] json) throws AbmResponseException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new AbmResponseException("software update catalog: malformed JSON", 200, e);
        }
        if (root == null || !root.isObject()) {
            throw new AbmResponseException("software update catalog: not a JSON object", 200);
        }
        return parse(root);
    }

    /** Parses an already read catalog. */
    public static SoftwareUpdateCatalog parse(JsonNode root) throws AbmResponseException {
        List<SoftwareRelease> releases = new ArrayList<>();
        for (ReleaseChannel channel : ReleaseChannel.values()) {
            JsonNode set = root.get(channel.key());
            if (set == null || set.isNull()) {
                continue;
            }
            if (!set.isObject()) {
                throw new AbmResponseException("software update catalog: " + channel.key() + " is not an object", 200);
            }
            for (Map.Entry<String, JsonNode> platform : set.properties()) {
                if (!platform.getValue().isArray()) {
                    throw new AbmResponseException("software update catalog: " + channel.key() + "."
                            + platform.getKey() + " is not an array", 200);
                }
                for (JsonNode product : platform.getValue()) {
                    if (releases.size() >= MAX_RELEASES) {
                        throw new AbmResponseException("software update catalog: more than " + MAX_RELEASES
                                + " releases", 200);
                    }
                    releases.add(release(channel, platform.getKey(), product));
                }
            }
        }
        return new SoftwareUpdateCatalog(releases);
    }

    private static SoftwareRelease release(ReleaseChannel channel, String platform, JsonNode product)
            throws AbmResponseException {
        String what = "software update catalog " + channel.key() + "." + platform;
        if (!product.isObject()) {
            throw new AbmResponseException(what + ": a release is not an object", 200);
        }
        String version = Json.text(product, "ProductVersion", what);
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new AbmResponseException(what + ": ProductVersion is not a version", 200);
        }
        LocalDate posted = Json.optDate(product, "PostingDate", what);
        if (posted == null) {
            throw new AbmResponseException(what + ": PostingDate missing", 200);
        }
        return new SoftwareRelease(channel, platform, version, Integer.parseInt(m.group(1)), number(m.group(2)),
                number(m.group(3)), Json.optText(product, "ProductVersionExtra", what),
                Json.text(product, "Build", what), Json.optText(product, "PrerequisiteBuild", what), posted,
                Json.optDate(product, "ExpirationDate", what), Json.optTextList(product, "SupportedDevices", what));
    }

    private static int number(String group) {
        return group == null ? 0 : Integer.parseInt(group);
    }

    /** The releases of one channel. */
    public List<SoftwareRelease> channel(ReleaseChannel channel) {
        return releases.stream().filter(r -> r.channel() == channel).toList();
    }

    /**
     * The updates an MDM can offer a device on {@code day}, newest first: releases of the MDM list and background
     * security releases, that support {@code deviceId}, are available that day, and whose prerequisite build (if
     * any) is the device's {@code currentBuild}.
     */
    public List<SoftwareRelease> updatesFor(String deviceId, String currentBuild, LocalDate day) {
        return releases.stream()
                .filter(r -> r.channel() != ReleaseChannel.PUBLIC)
                .filter(r -> r.supports(deviceId))
                .filter(r -> r.prerequisiteBuild() == null || r.prerequisiteBuild().equals(currentBuild))
                .filter(r -> r.isAvailableOn(day))
                .sorted(SoftwareRelease.NEWEST_FIRST)
                .toList();
    }
}
