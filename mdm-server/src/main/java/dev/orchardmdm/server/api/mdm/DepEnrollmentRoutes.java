package dev.orchardmdm.server.api.mdm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AssignmentResult;
import dev.orchardmdm.dep.ade.AdeProfile;
import dev.orchardmdm.dep.ade.DefinedProfile;
import dev.orchardmdm.server.api.ApiAudit;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiJson;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.JsonBody;
import dev.orchardmdm.server.api.StoreErrors;
import dev.orchardmdm.store.BlueprintRepository;
import dev.orchardmdm.store.DepDevice;
import dev.orchardmdm.store.DepProfile;
import dev.orchardmdm.store.DepRepository;
import dev.orchardmdm.store.DepVirtualServer;
import dev.orchardmdm.store.Enrollment;
import dev.orchardmdm.store.EnrollmentRepository;
import dev.orchardmdm.store.EnrollmentSpec;
import dev.orchardmdm.store.EnrollmentType;
import dev.orchardmdm.store.PushCertificateRepository;
import dev.orchardmdm.store.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * ADE enrollments (Zentral's {@code dep_enrollments}): CRUD where create and update define the ADE
 * profile at Apple ({@code POST profile}) synchronously and keep Apple's profile UUID; the virtual
 * server cannot change after creation. {@code POST <id>/assign/} assigns the defined profile to ADE
 * devices of its virtual server ({@code POST profile/devices}) and records each success.
 */
public final class DepEnrollmentRoutes implements ApiModule {

    static final String MODEL = "depenrollment";
    private static final String OBJECT = "mdm." + MODEL;
    private static final List<String> FLAGS = List.of("allow_pairing", "is_supervised", "is_multi_user", "is_mandatory",
            "await_device_configured", "is_mdm_removable", "auto_advance_setup");
    private static final List<String> TEXTS = List.of("support_phone_number", "support_email_address", "org_magic",
            "department", "language", "region");

    private final EnrollmentRepository enrollments;
    private final PushCertificateRepository pushCertificates;
    private final BlueprintRepository blueprints;
    private final DepRepository dep;
    private final DepRoutes.AdeClients clients;
    private final String publicBase;
    private final ApiAudit audit;
    private final ObjectMapper mapper = ApiJson.newMapper();

    /**
     * @param publicBase the server's public URL: profiles send devices to {@code <publicBase>/public/mdm/dep_enroll/<secret>/}
     */
    public DepEnrollmentRoutes(EnrollmentRepository enrollments, PushCertificateRepository pushCertificates,
                               BlueprintRepository blueprints, DepRepository dep, DepRoutes.AdeClients clients,
                               String publicBase, ApiAudit audit) {
        this.enrollments = Objects.requireNonNull(enrollments, "enrollments");
        this.pushCertificates = Objects.requireNonNull(pushCertificates, "pushCertificates");
        this.blueprints = Objects.requireNonNull(blueprints, "blueprints");
        this.dep = Objects.requireNonNull(dep, "dep");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.publicBase = Objects.requireNonNull(publicBase, "publicBase").replaceAll("/+$", "");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public List<ApiRoute> routes() {
        String base = "/api/mdm/dep_enrollments/";
        List<ApiRoute> routes = new ArrayList<>(new CrudRoutes<>(base, MODEL, "ADE enrollment",
                name -> enrollments.list(EnrollmentType.DEP, name), this::find, this::write,
                enrollments::delete, this::serialize, Enrollment::id, audit).routes());
        routes.add(new ApiRoute("POST", base + "{id}/assign/", List.of("mdm.change_" + MODEL, DepRoutes.VIEW_DEVICE),
                "Assign the enrollment's ADE profile to devices (body {\"serial_numbers\": [...]})", this::assign));
        return routes;
    }

    private Optional<Enrollment> find(long id) {
        return enrollments.findById(id).filter(e -> e.type() == EnrollmentType.DEP);
    }

    /** The profile part of a body, checked before anything is stored. */
    private record ProfileRequest(long virtualServerId, Map<String, Boolean> flags, Map<String, String> texts,
                                  List<String> skipSetupItems) {
    }

    private ProfileRequest profileRequest(JsonBody b) throws ApiException {
        long vs = b.optId("virtual_server").orElseThrow(() -> ApiException.field("virtual_server",
                "This field is required."));
        Map<String, Boolean> flags = new LinkedHashMap<>();
        for (String f : FLAGS) {
            b.optBool(f).ifPresent(v -> flags.put(f, v));
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (String t : TEXTS) {
            b.optString(t, 256).ifPresent(v -> texts.put(t, v));
        }
        List<String> skip = b.optStrings("skip_setup_items", 100, 64).orElse(List.of());
        for (String item : skip) {
            if (!item.matches("[A-Za-z0-9]+")) {
                throw ApiException.field("skip_setup_items", "\"" + item + "\" is not a valid setup item.");
            }
        }
        return new ProfileRequest(vs, flags, texts, skip);
    }

    private Enrollment write(Long id, JsonBody b) throws ApiException, StoreException {
        EnrollmentSpec spec = OtaEnrollmentRoutes.spec(EnrollmentType.DEP, b, pushCertificates, blueprints);
        ProfileRequest request = profileRequest(b);
        DepVirtualServer server = dep.findVirtualServer(request.virtualServerId()).orElseThrow(() -> ApiException.field(
                "virtual_server", "Invalid pk \"" + request.virtualServerId() + "\" - object does not exist."));
        if (id != null) {
            Optional<DepProfile> current = dep.findProfile(id);
            if (current.isPresent() && current.get().virtualServerId() != server.id()) {
                throw ApiException.field("virtual_server", "Cannot be changed.");
            }
        }
        Enrollment e = id == null ? enrollments.create(spec) : enrollments.update(id, spec);
        AdeProfile profile = profile(e, request);
        String json;
        try {
            json = mapper.writeValueAsString(profile);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("ADE profile not serializable", ex);
        }
        dep.saveProfile(e.id(), server.id(), json);
        try {
            DefinedProfile defined = clients.forToken(server.tokenId()).defineProfile(profile);
            dep.profileDefined(e.id(), defined.profileUuid());
        } catch (AbmException ex) {
            if (id == null) {
                enrollments.delete(e.id());
            }
            throw ApiException.detail(502, "Apple refused the ADE profile: " + ex.getMessage());
        }
        return find(e.id()).orElseThrow();
    }

    private AdeProfile profile(Enrollment e, ProfileRequest r) {
        AdeProfile.Builder p = AdeProfile.builder(e.name(), publicBase + "/public/mdm/dep_enroll/" + e.secret() + "/");
        r.flags().forEach((k, v) -> {
            switch (k) {
                case "allow_pairing" -> p.allowPairing(v);
                case "is_supervised" -> p.supervised(v);
                case "is_multi_user" -> p.multiUser(v);
                case "is_mandatory" -> p.mandatory(v);
                case "await_device_configured" -> p.awaitDeviceConfigured(v);
                case "is_mdm_removable" -> p.mdmRemovable(v);
                case "auto_advance_setup" -> p.autoAdvanceSetup(v);
                default -> throw new IllegalStateException(k);
            }
        });
        r.texts().forEach((k, v) -> {
            switch (k) {
                case "support_phone_number" -> p.supportPhoneNumber(v);
                case "support_email_address" -> p.supportEmailAddress(v);
                case "org_magic" -> p.orgMagic(v);
                case "department" -> p.department(v);
                case "language" -> p.language(v);
                case "region" -> p.region(v);
                default -> throw new IllegalStateException(k);
            }
        });
        if (!r.skipSetupItems().isEmpty()) {
            p.skipSetupItems(r.skipSetupItems());
        }
        return p.build();
    }

    private ApiResponse assign(ApiCall call) throws ApiException {
        Enrollment e = find(call.pathId("id")).orElseThrow(() -> ApiException.notFound("id"));
        DepProfile profile = dep.findProfile(e.id()).filter(p -> p.profileUuid() != null).orElseThrow(
                () -> ApiException.badRequest("The ADE profile of this enrollment is not defined at Apple."));
        JsonBody body = call.body();
        List<String> serials = body.optStrings("serial_numbers", 1000, 64).orElse(List.of());
        if (serials.isEmpty()) {
            throw ApiException.field("serial_numbers", "This field is required.");
        }
        Map<String, DepDevice> devices = new LinkedHashMap<>();
        for (String serial : serials) {
            List<DepDevice> found = dep.listDevices(new DepDevice.Query(profile.virtualServerId(), serial, null, null,
                    null, null, 1, 0));
            if (found.isEmpty() || found.get(0).disownedAt() != null) {
                throw ApiException.field("serial_numbers", "Unknown ADE device \"" + serial
                        + "\" for the virtual server of this enrollment.");
            }
            devices.put(serial, found.get(0));
        }
        DepVirtualServer server = dep.findVirtualServer(profile.virtualServerId()).orElseThrow(
                () -> ApiException.notFound("id"));
        Map<String, Object> results = new LinkedHashMap<>();
        try {
            AssignmentResult result = clients.forToken(server.tokenId()).assignProfile(profile.profileUuid(),
                    devices.keySet());
            for (Map.Entry<String, DepDevice> d : devices.entrySet()) {
                AssignmentResult.Status status = result.statuses().getOrDefault(d.getKey(),
                        AssignmentResult.Status.FAILED);
                results.put(d.getKey(), status.name());
                if (status == AssignmentResult.Status.SUCCESS) {
                    dep.assignProfile(d.getValue().id(), e.id(), profile.profileUuid(), "assigned");
                }
            }
        } catch (AbmException ex) {
            throw ApiException.detail(502, "Apple refused the assignment: " + ex.getMessage());
        } catch (StoreException ex) {
            throw StoreErrors.map(ex, "id");
        }
        audit.record(call, "dep_profile_assigned", OBJECT, e.id(),
                Map.of("profile_uuid", profile.profileUuid(), "devices", results));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile_uuid", profile.profileUuid());
        m.put("devices", results);
        return ApiResponse.ok(m);
    }

    /** The OTA enrollment JSON plus {@code virtual_server}, the profile fields and Apple's {@code profile_uuid}. */
    private Map<String, Object> serialize(Enrollment e) {
        Map<String, Object> m = OtaEnrollmentRoutes.serialize(e);
        Optional<DepProfile> profile = dep.findProfile(e.id());
        m.put("virtual_server", profile.map(DepProfile::virtualServerId).orElse(null));
        JsonNode fields = null;
        if (profile.isPresent()) {
            try {
                fields = mapper.readTree(profile.get().profile());
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("stored ADE profile is not JSON", ex);
            }
        }
        for (String f : FLAGS) {
            m.put(f, fields != null && fields.has(f) ? fields.get(f).asBoolean() : null);
        }
        for (String t : TEXTS) {
            m.put(t, fields != null && fields.has(t) ? fields.get(t).asText() : null);
        }
        List<String> skip = new ArrayList<>();
        if (fields != null && fields.has("skip_setup_items")) {
            fields.get("skip_setup_items").forEach(i -> skip.add(i.asText()));
        }
        m.put("skip_setup_items", skip);
        m.put("url", fields == null ? null : fields.path("url").asText(null));
        m.put("profile_uuid", profile.map(DepProfile::profileUuid).orElse(null));
        return m;
    }
}
