package dev.orchardmdm.server.api.mdm;

import dev.orchardmdm.server.api.ApiAudit;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.JsonBody;
import dev.orchardmdm.server.engine.EnrollmentProfiles;
import dev.orchardmdm.server.engine.MdmException;
import dev.orchardmdm.store.BlueprintRepository;
import dev.orchardmdm.store.Enrollment;
import dev.orchardmdm.store.EnrollmentRepository;
import dev.orchardmdm.store.EnrollmentSpec;
import dev.orchardmdm.store.EnrollmentType;
import dev.orchardmdm.store.PushCertificateRepository;
import dev.orchardmdm.store.StoreException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * OTA enrollments: Zentral CRUD ({@code {"name", "push_certificate"}} at least, optional
 * {@code display_name}, {@code blueprint}, {@code enrollment_secret} restrictions), plus
 * {@code profile/} (the signed Profile Service profile, OTA phase 1) and {@code mdm_profile/} (a
 * signed MDM enrollment profile bound to a fresh enrollment session, for a manual install).
 */
public final class OtaEnrollmentRoutes implements ApiModule {

    static final String MODEL = "otaenrollment";
    private static final String MOBILECONFIG = "application/x-apple-aspen-config";

    private final EnrollmentRepository enrollments;
    private final PushCertificateRepository pushCertificates;
    private final BlueprintRepository blueprints;
    private final EnrollmentProfiles profiles;
    private final ApiAudit audit;

    public OtaEnrollmentRoutes(EnrollmentRepository enrollments, PushCertificateRepository pushCertificates,
                               BlueprintRepository blueprints, EnrollmentProfiles profiles, ApiAudit audit) {
        this.enrollments = Objects.requireNonNull(enrollments, "enrollments");
        this.pushCertificates = Objects.requireNonNull(pushCertificates, "pushCertificates");
        this.blueprints = Objects.requireNonNull(blueprints, "blueprints");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public List<ApiRoute> routes() {
        String base = "/api/mdm/ota_enrollments/";
        List<ApiRoute> routes = new ArrayList<>(new CrudRoutes<>(base, MODEL, "OTA enrollment",
                name -> enrollments.list(EnrollmentType.OTA, name), this::find,
                (id, body) -> id == null ? enrollments.create(spec(body)) : enrollments.update(id, spec(body)),
                enrollments::delete, OtaEnrollmentRoutes::serialize, Enrollment::id, audit).routes());
        routes.add(new ApiRoute("GET", base + "{id}/profile/", List.of("mdm.view_" + MODEL),
                "Download the signed Profile Service profile (OTA phase 1)", this::profileService));
        routes.add(new ApiRoute("GET", base + "{id}/mdm_profile/", List.of("mdm.view_" + MODEL),
                "Download a signed MDM enrollment profile bound to a fresh enrollment session", this::mdmProfile));
        return routes;
    }

    private Optional<Enrollment> find(long id) {
        return enrollments.findById(id).filter(e -> e.type() == EnrollmentType.OTA);
    }

    private Enrollment get(ApiCall call) throws ApiException {
        return find(call.pathId("id")).orElseThrow(() -> ApiException.notFound("id"));
    }

    private ApiResponse profileService(ApiCall call) throws ApiException {
        Enrollment e = get(call);
        try {
            return ApiResponse.file(profiles.profileService(e), MOBILECONFIG, "orchard_ota_" + e.id() + ".mobileconfig");
        } catch (MdmException | IllegalArgumentException ex) {
            throw ApiException.badRequest("Cannot build the profile: " + ex.getMessage());
        }
    }

    private ApiResponse mdmProfile(ApiCall call) throws ApiException {
        Enrollment e = get(call);
        EnrollmentProfiles.SignedProfile profile;
        try {
            profile = profiles.mdmProfile(e);
        } catch (MdmException | IllegalArgumentException ex) {
            throw ApiException.badRequest("Cannot build the profile: " + ex.getMessage());
        }
        audit.record(call, "mdm_profile_downloaded", "mdm." + MODEL, e.id(),
                Map.of("enrollment_session", profile.session().map(s -> (Object) s.id()).orElse("none")));
        return ApiResponse.file(profile.signed(), MOBILECONFIG, "orchard_enrollment_" + e.id() + ".mobileconfig");
    }

    private EnrollmentSpec spec(JsonBody b) throws ApiException {
        return spec(EnrollmentType.OTA, b, pushCertificates, blueprints);
    }

    /**
     * The enrollment part of a body ({@code name}, {@code display_name}, {@code push_certificate},
     * {@code blueprint}, {@code enrollment_secret}), shared by the OTA and ADE enrollments.
     */
    static EnrollmentSpec spec(EnrollmentType type, JsonBody b, PushCertificateRepository pushCertificates,
                               BlueprintRepository blueprints) throws ApiException {
        String name = b.string("name", 256);
        long push = b.optId("push_certificate").orElseThrow(() -> ApiException.field("push_certificate",
                "This field is required."));
        if (pushCertificates.findById(push).isEmpty()) {
            throw ApiException.field("push_certificate", "Invalid pk \"" + push + "\" - object does not exist.");
        }
        Long blueprint = b.optId("blueprint").orElse(null);
        if (blueprint != null && blueprints.findBlueprint(blueprint).isEmpty()) {
            throw ApiException.field("blueprint", "Invalid pk \"" + blueprint + "\" - object does not exist.");
        }
        Integer quota = null;
        List<String> serials = List.of();
        List<String> udids = List.of();
        Instant expiredAt = null;
        if (b.present("enrollment_secret")) {
            if (!b.node().get("enrollment_secret").isObject()) {
                throw ApiException.field("enrollment_secret", "Invalid data. Expected a dictionary.");
            }
            JsonBody secret = new JsonBody(b.node().with("enrollment_secret"));
            quota = secret.optLong("quota", 1, 200_000).map(Long::intValue).orElse(null);
            serials = secret.optStrings("serial_numbers", 10_000, 128).orElse(List.of());
            udids = secret.optStrings("udids", 10_000, 128).orElse(List.of());
            Optional<String> expiry = secret.optString("expired_at", 64);
            if (expiry.isPresent()) {
                try {
                    expiredAt = ApiTimestamps.parse(expiry.get());
                } catch (DateTimeParseException e) {
                    throw ApiException.field("enrollment_secret", "expired_at: Datetime has wrong format.");
                }
            }
        }
        return new EnrollmentSpec(type, name, b.optString("display_name", 256).orElse(name), push,
                blueprint, quota, expiredAt, serials, udids, false, null, null, null);
    }

    /** The OTA enrollment JSON. */
    public static Map<String, Object> serialize(Enrollment e) {
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("secret", e.secret());
        secret.put("quota", e.secretQuota());
        secret.put("request_count", e.secretRequestCount());
        secret.put("serial_numbers", e.serialNumbers());
        secret.put("udids", e.udids());
        secret.put("expired_at", ApiTimestamps.format(e.secretExpiredAt()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("name", e.name());
        m.put("display_name", e.displayName());
        m.put("push_certificate", e.pushCertificateId());
        m.put("blueprint", e.blueprintId());
        m.put("enrollment_secret", secret);
        m.put("created_at", ApiTimestamps.format(e.createdAt()));
        m.put("updated_at", ApiTimestamps.format(e.updatedAt()));
        return m;
    }
}
