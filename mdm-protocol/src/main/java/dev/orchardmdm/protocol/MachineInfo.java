package dev.orchardmdm.protocol;

import dev.orchardmdm.protocol.schema.DeviceContext;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The device attributes a device posts when it fetches an enrollment profile: the OTA profile-service phase 2/3
 * response and the ADE {@code MachineInfo} (Apple's {@code other/machineinfo.yaml}). The plist is the content of the
 * CMS envelope, once its signature is verified (mdm-crypto {@code AppleAttestationVerifier} or the device identity);
 * this class only reads it. Empty strings (a Mac sends {@code IMEI} and {@code MEID} empty) read as absent.
 *
 * <pre>{@code
 * MachineInfo info = MachineInfo.parse(attestation.plist());
 * if (!info.challengeMatches(issuedChallenge)) { throw new Forbidden(); }
 * String os = info.os().orElse("unknown");                      // "macOS" for PRODUCT VirtualMac2,1
 * }</pre>
 *
 * @param udid       {@code UDID} (absent with a user enrollment)
 * @param serial     {@code SERIAL}
 * @param product    {@code PRODUCT}, e.g. {@code iPhone10,1}, {@code MacBookPro18,3}
 * @param version    {@code VERSION}: the build, e.g. {@code 22A380}
 * @param osVersion  {@code OS_VERSION} (iOS 17 and macOS 14 and later)
 * @param challenge  {@code CHALLENGE}: the challenge of the profile-service payload, echoed (a secret: compare it
 *                   with {@link #challengeMatches}, never log it)
 * @param imei       {@code IMEI}
 * @param meid       {@code MEID}
 * @param language   {@code LANGUAGE}, e.g. {@code de-DE}
 * @param userId     {@code UserID} (macOS, the user who installs the profile)
 * @param userShortName {@code UserShortName}
 * @param userLongName  {@code UserLongName}
 * @param raw        the whole dictionary
 */
public record MachineInfo(Optional<String> udid, Optional<String> serial, Optional<String> product,
                          Optional<String> version, Optional<String> osVersion, Optional<String> challenge,
                          Optional<String> imei, Optional<String> meid, Optional<String> language,
                          Optional<String> userId, Optional<String> userShortName, Optional<String> userLongName,
                          PlistDict raw) {

    /** Reads the plist with {@link PlistReader#withDefaults()} (bounded, no DTD or entities). */
    public static MachineInfo parse(byte[] plist) throws ProtocolException {
        return from(PlistReader.withDefaults().readDictionary(plist));
    }

    /**
     * Decodes an already-read dictionary; a key of the wrong type is an {@link InvalidMessageException}. A data
     * {@code CHALLENGE} (a profile service may issue one as data) is read as UTF-8.
     */
    public static MachineInfo from(PlistDict m) throws InvalidMessageException {
        Optional<String> challenge = m.get("CHALLENGE") instanceof PlistData d
                ? Optional.of(new String(d.bytes(), StandardCharsets.UTF_8)) : text(m, "CHALLENGE");
        return new MachineInfo(text(m, "UDID"), text(m, "SERIAL"), text(m, "PRODUCT"), text(m, "VERSION"),
                text(m, "OS_VERSION"), challenge, text(m, "IMEI"), text(m, "MEID"), text(m, "LANGUAGE"),
                text(m, "UserID"), text(m, "UserShortName"), text(m, "UserLongName"), m);
    }

    private static Optional<String> text(PlistDict m, String key) throws InvalidMessageException {
        return m.string(key).filter(s -> !s.isEmpty());
    }

    /**
     * True when the device echoed {@code expected}. Constant time: the comparison takes as long wherever the values
     * differ, whatever their lengths. False when either is absent.
     */
    public boolean challengeMatches(String expected) {
        return expected != null && challenge.isPresent() && ConstantTime.equal(
                expected.getBytes(StandardCharsets.UTF_8), challenge.get().getBytes(StandardCharsets.UTF_8));
    }

    /** The schema OS of {@link #product()}: {@code iOS} (iPhone, iPad), {@code macOS}, {@code tvOS}, ... */
    public Optional<String> os() {
        return product.flatMap(DeviceContext::osOfProduct);
    }

    @Override
    public String toString() {
        return "MachineInfo[udid=" + udid.orElse("-") + ", serial=" + serial.orElse("-") + ", product="
                + product.orElse("-") + ", version=" + version.orElse("-") + "]";
    }
}
