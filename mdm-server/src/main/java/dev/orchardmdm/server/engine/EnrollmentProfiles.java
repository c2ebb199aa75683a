package dev.orchardmdm.server.engine;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.cms.AppleAttestationVerifier;
import dev.orchardmdm.crypto.cms.ProfileSigner;
import dev.orchardmdm.crypto.cms.SignedMessages;
import dev.orchardmdm.crypto.identity.DeviceIdentityVerifier;
import dev.orchardmdm.crypto.identity.Identity;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.protocol.ProtocolException;
import dev.orchardmdm.protocol.profile.AccessRights;
import dev.orchardmdm.protocol.profile.ConfigurationProfile;
import dev.orchardmdm.protocol.profile.MdmPayload;
import dev.orchardmdm.protocol.profile.Payload;
import dev.orchardmdm.protocol.profile.ProfileService;
import dev.orchardmdm.protocol.profile.ScepPayload;
import dev.orchardmdm.protocol.profile.Subject;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.Enrollment;
import dev.orchardmdm.store.EnrollmentSession;
import dev.orchardmdm.store.EnrollmentSessionRepository;
import dev.orchardmdm.store.EnrollmentType;
import dev.orchardmdm.store.InvalidStateException;
import dev.orchardmdm.store.NotFoundException;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.SessionKind;
import dev.orchardmdm.store.SessionStatus;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds and serves the signed enrollment profiles, and runs the enrollment flows that produce
 * them:
 * <ul>
 *   <li>the MDM profile of an OTA enrollment, for admins only (the admin API's
 *       {@code ota_enrollments/<id>/mdm_profile/}): each download starts a fresh session, not pinned
 *       to a device, whose secret is the SCEP challenge and sits in the identity subject
 *       ({@code MDM$<TYPE>$<secret>}); such a session can enroll a new device but never take over
 *       an enrolled one;</li>
 *   <li>OTA: phase 1 (the Profile Service document), phase 2 (device attributes signed by the Apple
 *       iPhone Device CA → a SCEP-only profile bound to a new session, identity {@code OTA$<secret>}),
 *       phase 3 (attributes signed with that SCEP identity → the MDM profile);</li>
 *   <li>ADE: MachineInfo signed by the Apple iPhone Device CA → the MDM profile, or Apple's
 *       software-update-required refusal when the enrollment sets a minimum OS version.</li>
 * </ul>
 * Every profile is signed (CMS) with the server's profile-signing identity. Blocked serial numbers
 * are refused everywhere.
 */
public final class EnrollmentProfiles {
    /** Largest signed enrollment request accepted. */
    public static final int MAX_REQUEST = 64 * 1024;

    private final Store store;
    private final EnrollmentSessions sessions;
    private final ProfileSigner signer;
    private final AppleAttestationVerifier appleAttestation;
    private final DeviceIdentityVerifier scepIdentities;
    private final String publicBase;
    private final boolean mtlsProxy;
    private final String identifierPrefix;
    private final PlistReader reader = PlistReader.withDefaults();

    /**
     * @param publicBase     the server's public URL without trailing slash
     * @param mtlsProxy      false: profiles set {@code SignMessage}
     * @param scepIdentities verifies OTA phase-3 signers against the SCEP CA
     */
    public EnrollmentProfiles(Store store, EnrollmentSessions sessions, ProfileSigner signer,
                              AppleAttestationVerifier appleAttestation, DeviceIdentityVerifier scepIdentities,
                              String publicBase, boolean mtlsProxy) {
        this.store = Objects.requireNonNull(store, "store");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.appleAttestation = Objects.requireNonNull(appleAttestation, "appleAttestation");
        this.scepIdentities = Objects.requireNonNull(scepIdentities, "scepIdentities");
        this.publicBase = Objects.requireNonNull(publicBase, "publicBase");
        this.mtlsProxy = mtlsProxy;
        String host = Optional.ofNullable(URI.create(publicBase).getHost()).orElse("localhost");
        StringBuilder reversed = new StringBuilder();
        String[] parts = host.split("\\.");
        for (int i = parts.length - 1; i >= 0; i--) {
            reversed.append(parts[i]).append(i > 0 ? "." : "");
        }
        this.identifierPrefix = reversed + ".orchard";
    }

    /** A signed profile and the session it is bound to (if any). */
    public record SignedProfile(byte[] signed, Optional<EnrollmentSession> session) {
    }

    // ---- direct download ----------------------------------------------------------------------

    /**
     * The MDM enrollment profile of an OTA {@code enrollment}, bound to a fresh session not pinned
     * to a device (each call starts a new one; the enrollment secret's quota and expiry apply). For
     * the admin API only: ADE and user enrollments yield an identity only through their own flows.
     *
     * @throws MdmException.NotFound if the enrollment is not an OTA enrollment
     */
    public SignedProfile mdmProfile(Enrollment enrollment) throws MdmException {
        if (enrollment.type() != EnrollmentType.OTA) {
            throw new MdmException.NotFound("not an OTA enrollment");
        }
        try {
            store.enrollments().useSecret(enrollment.secret(), null, null);
            EnrollmentSessionRepository.Started s = sessions.startForMdmProfile(enrollment, null, null);
            return new SignedProfile(sign(mdmProfile(enrollment, s.session(), s.secret(), null)),
                    Optional.of(s.session()));
        } catch (InvalidStateException e) {
            throw new MdmException.Forbidden("enrollment refused: " + e.getMessage(), e);
        } catch (StoreException e) {
            throw new MdmException.BadRequest("enrollment refused: " + e.getMessage(), e);
        }
    }

    /** The enrollment with this secret, or 404. */
    public Enrollment enrollmentBySecret(String secret) throws MdmException.NotFound {
        return store.enrollments().findBySecret(secret)
                .orElseThrow(() -> new MdmException.NotFound("unknown enrollment"));
    }

    // ---- OTA ----------------------------------------------------------------------------------

    /** OTA phase 1: the signed Profile Service document of an OTA enrollment. */
    public byte[] profileService(Enrollment enrollment) throws MdmException {
        if (enrollment.type() != EnrollmentType.OTA) {
            throw new MdmException.NotFound("not an OTA enrollment");
        }
        if (!publicBase.startsWith("https://")) {
            throw new MdmException.BadRequest("OTA enrollment needs an https server.public_url");
        }
        ProfileService service = ProfileService.of(identifierPrefix + ".ota." + enrollment.id(),
                enrollment.displayName(), publicBase + "/public/mdm/ota_enroll/", enrollment.secret(), "Orchard MDM");
        return signer.sign(service.toPlist());
    }

    /**
     * OTA phases 2 and 3 ({@code POST ota_enroll/}): a body signed by the Apple iPhone Device CA is
     * phase 2 (answered with a SCEP-only profile); a body signed by an {@code OTA$<secret>} identity of
     * the SCEP CA is phase 3 (answered with the MDM profile).
     */
    public byte[] otaEnroll(byte[] body) throws MdmException {
        if (body.length > MAX_REQUEST) {
            throw new MdmException.BadRequest("OTA request larger than " + MAX_REQUEST + " bytes");
        }
        Optional<AppleAttestationVerifier.Attestation> apple = attestation(body);
        try {
            if (apple.isPresent()) {
                return otaPhase2(plist(apple.get().plist()));
            }
            return otaPhase3(body);
        } catch (InvalidStateException e) {
            throw new MdmException.Forbidden("enrollment refused: " + e.getMessage(), e);
        } catch (NotFoundException e) {
            throw new MdmException.Forbidden("enrollment refused: " + e.getMessage(), e);
        } catch (StoreException e) {
            throw new MdmException.BadRequest("enrollment refused: " + e.getMessage(), e);
        }
    }

    private byte[] otaPhase2(PlistDict attributes) throws MdmException, StoreException {
        String challenge = required(attributes, "CHALLENGE");
        String serial = required(attributes, "SERIAL");
        String udid = required(attributes, "UDID");
        String product = optional(attributes, "PRODUCT");
        refuseBlocked(serial, udid);
        Enrollment enrollment = store.enrollments().findBySecret(challenge)
                .filter(e -> e.type() == EnrollmentType.OTA)
                .orElseThrow(() -> new MdmException.Forbidden("unknown OTA enrollment challenge"));
        store.enrollments().useSecret(challenge, serial, udid);
        EnrollmentSessionRepository.Started s = store.enrollmentSessions().start(SessionKind.OTA, enrollment.id(),
                SessionStatus.PHASE_1, serial, udid);
        store.enrollmentSessions().advance(s.session().id(), SessionStatus.PHASE_1, SessionStatus.PHASE_2);
        store.enrollmentSessions().setProduct(s.session().id(), product);
        Payload.Common common = Payload.Common.of(identifierPrefix + ".ota.scep", "Orchard OTA identity");
        ScepPayload scep = ScepPayload.forMdmIdentity(common, scepUrl(), "Orchard OTA identity",
                Subject.builder().add("CN", "OTA$" + s.secret()).add("O", "Orchard").add("2.5.4.5", serial).build(),
                s.secret());
        ConfigurationProfile profile = ConfigurationProfile.builder(identifierPrefix + ".ota.phase2")
                .displayName("Orchard OTA enrollment").organization("Orchard MDM").payload(scep).build();
        return sign(profile);
    }

    private byte[] otaPhase3(byte[] body) throws MdmException, StoreException {
        SignedMessages.Verified verified;
        Identity identity;
        try {
            verified = SignedMessages.verify(body, null, MAX_REQUEST);
            identity = scepIdentities.fromCertificate(verified.signer(), verified.certificates());
        } catch (CryptoException e) {
            throw new MdmException.Forbidden("OTA request is signed neither by an Apple device nor by an OTA identity",
                    e);
        }
        SessionSecret secret = SessionSecret.parse(identity.commonName()).filter(s -> "OTA".equals(s.prefix()))
                .orElseThrow(() -> new MdmException.Forbidden("OTA phase 3 needs the OTA identity"));
        PlistDict attributes = plist(verified.content());
        String serial = required(attributes, "SERIAL");
        if (identity.serialNumber() == null || !identity.serialNumber().equals(serial)) {
            throw new MdmException.Forbidden("OTA identity serial number does not match the device");
        }
        EnrollmentSession session = store.enrollmentSessions().findBySecret(secret.secret())
                .filter(s -> s.kind() == SessionKind.OTA)
                .orElseThrow(() -> new MdmException.Forbidden("unknown OTA session"));
        if (session.serialNumber() != null && !session.serialNumber().equals(serial)) {
            throw new MdmException.Forbidden("OTA session is for another device");
        }
        refuseBlocked(serial, session.udid());
        EnrollmentSession at3 = store.enrollmentSessions().advance(session.id(), SessionStatus.PHASE_2,
                SessionStatus.PHASE_3);
        Enrollment enrollment = store.enrollments().findById(at3.enrollmentId())
                .orElseThrow(() -> new MdmException.Forbidden("enrollment is gone"));
        return sign(mdmProfile(enrollment, at3, secret.secret(), serial));
    }

    // ---- ADE ----------------------------------------------------------------------------------

    /**
     * ADE ({@code POST dep_enroll/<secret>/}): MachineInfo signed by the Apple iPhone Device CA in,
     * the signed MDM profile out.
     *
     * @throws MdmException.SoftwareUpdateRequired when the device must update first
     */
    public byte[] depEnroll(String enrollmentSecret, byte[] body) throws MdmException {
        if (body.length > MAX_REQUEST) {
            throw new MdmException.BadRequest("MachineInfo larger than " + MAX_REQUEST + " bytes");
        }
        AppleAttestationVerifier.Attestation attestation = attestation(body)
                .orElseThrow(() -> new MdmException.Forbidden("MachineInfo is not signed by an Apple device"));
        PlistDict info = plist(attestation.plist());
        String serial = required(info, "SERIAL");
        String udid = required(info, "UDID");
        String product = optional(info, "PRODUCT");
        try {
            refuseBlocked(serial, udid);
            Enrollment enrollment = store.enrollments().findBySecret(enrollmentSecret)
                    .filter(e -> e.type() == EnrollmentType.DEP)
                    .orElseThrow(() -> new MdmException.NotFound("unknown ADE enrollment"));
            checkMinimumOs(enrollment, info);
            store.enrollments().useSecret(enrollmentSecret, serial, udid);
            EnrollmentSessionRepository.Started s = store.enrollmentSessions().start(SessionKind.DEP, enrollment.id(),
                    SessionStatus.STARTED, serial, udid);
            store.enrollmentSessions().setProduct(s.session().id(), product);
            return sign(mdmProfile(enrollment, s.session(), s.secret(), serial));
        } catch (InvalidStateException e) {
            throw new MdmException.Forbidden("enrollment refused: " + e.getMessage(), e);
        } catch (StoreException e) {
            throw new MdmException.BadRequest("enrollment refused: " + e.getMessage(), e);
        }
    }

    private void checkMinimumOs(Enrollment enrollment, PlistDict info) throws MdmException {
        boolean canUpdate;
        try {
            canUpdate = info.bool("MDM_CAN_REQUEST_SOFTWARE_UPDATE").orElse(false);
        } catch (InvalidMessageException e) {
            throw new MdmException.BadRequest("malformed MachineInfo: " + e.getMessage(), e);
        }
        if (!canUpdate) {
            return;
        }
        String product = optional(info, "PRODUCT");
        String minimum = product != null && (product.startsWith("iPhone") || product.startsWith("iPad"))
                ? enrollment.iosMinVersion() : enrollment.macosMinVersion();
        String version = optional(info, "OS_VERSION");
        if (minimum != null && !minimum.isBlank() && (version == null || compareVersions(version, minimum) < 0)) {
            throw new MdmException.SoftwareUpdateRequired(minimum, null);
        }
    }

    /** Compares dotted version numbers numerically ({@code 14.2.1} &lt; {@code 14.10}). */
    static int compareVersions(String a, String b) {
        String[] x = a.trim().split("\\.");
        String[] y = b.trim().split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int u = i < x.length ? leadingNumber(x[i]) : 0;
            int v = i < y.length ? leadingNumber(y[i]) : 0;
            if (u != v) {
                return Integer.compare(u, v);
            }
        }
        return 0;
    }

    private static int leadingNumber(String s) {
        int n = 0;
        for (int i = 0; i < s.length() && i < 6 && Character.isDigit(s.charAt(i)); i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }

    // ---- building -----------------------------------------------------------------------------

    private ConfigurationProfile mdmProfile(Enrollment enrollment, EnrollmentSession session, String secret,
                                            String serialNumber) throws MdmException {
        PushCertificate push = store.pushCertificates().findById(enrollment.pushCertificateId())
                .filter(p -> p.topic() != null)
                .orElseThrow(() -> new MdmException.BadRequest("the enrollment's push certificate has no topic yet"));
        Subject.Builder subject = Subject.builder()
                .add("CN", SessionSecret.mdmCommonName(IdentityBinding.typeOf(session.kind()), secret))
                .add("O", "Orchard");
        if (serialNumber != null) {
            subject.add("2.5.4.5", serialNumber);
        }
        ScepPayload scep = ScepPayload.forMdmIdentity(Payload.Common.of(identifierPrefix + ".mdm.scep",
                "Orchard MDM identity"), scepUrl(), "Orchard MDM identity", subject.build(), secret);
        MdmPayload mdm = MdmPayload.builder(Payload.Common.of(identifierPrefix + ".mdm", "Orchard MDM"),
                        scep.common().uuid(), push.topic(), publicBase + "/public/mdm/connect/")
                .checkInUrl(publicBase + "/public/mdm/checkin/")
                .signMessage(!mtlsProxy)
                .checkOutWhenRemoved(true)
                .serverCapability(MdmPayload.BOOTSTRAP_TOKEN)
                .serverCapability(MdmPayload.PER_USER_CONNECTIONS)
                .accessRights(AccessRights.ALL)
                .build();
        return ConfigurationProfile.builder(identifierPrefix + ".mdm.enrollment." + enrollment.id())
                .displayName(enrollment.displayName()).organization("Orchard MDM")
                .payload(scep).payload(mdm).build();
    }

    private byte[] sign(ConfigurationProfile profile) {
        return signer.sign(profile.toPlist());
    }

    private String scepUrl() {
        return publicBase + "/public/mdm/scep";
    }

    private Optional<AppleAttestationVerifier.Attestation> attestation(byte[] body) throws MdmException {
        try {
            return Optional.of(appleAttestation.verify(body));
        } catch (dev.orchardmdm.crypto.MalformedDataException | dev.orchardmdm.crypto.OversizedInputException e) {
            throw new MdmException.BadRequest("not a signed enrollment request: " + e.getMessage(), e);
        } catch (CryptoException e) {
            return Optional.empty();
        }
    }

    private PlistDict plist(byte[] bytes) throws MdmException.BadRequest {
        try {
            return reader.readDictionary(bytes);
        } catch (ProtocolException e) {
            throw new MdmException.BadRequest("malformed signed attributes: " + e.getMessage(), e);
        }
    }

    private static String required(PlistDict d, String key) throws MdmException.BadRequest {
        String v = optional(d, key);
        if (v == null || v.isBlank()) {
            throw new MdmException.BadRequest("missing " + key);
        }
        return v;
    }

    private static String optional(PlistDict d, String key) throws MdmException.BadRequest {
        try {
            return d.string(key).orElse(null);
        } catch (InvalidMessageException e) {
            throw new MdmException.BadRequest("malformed " + key, e);
        }
    }

    private void refuseBlocked(String serial, String udid) throws MdmException.Blocked {
        Optional<EnrolledDevice> byUdid = udid == null ? Optional.empty() : store.devices().findByUdid(udid);
        boolean blocked = byUdid.map(d -> d.blockedAt() != null).orElse(false);
        if (!blocked && serial != null) {
            blocked = store.devices().list(new dev.orchardmdm.store.DeviceRepository.DeviceQuery(serial, null, null,
                    true, null, 1, 0)).size() > 0;
        }
        if (blocked) {
            throw new MdmException.Blocked("Blocked");
        }
    }
}
