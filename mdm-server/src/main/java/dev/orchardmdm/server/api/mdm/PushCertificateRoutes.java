package dev.orchardmdm.server.api.mdm;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.KeyMismatchException;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.NameAttribute;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.server.api.ApiAudit;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.JsonBody;
import dev.orchardmdm.server.api.Pagination;
import dev.orchardmdm.server.api.StoreErrors;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.PushCertificateRepository;
import dev.orchardmdm.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Push certificates: list/get; create with a server-generated key (its CSR downloadable) or by
 * uploading certificate, key and key password (the spec's Add flow); upload/renew with PUT (the
 * spec's Update flow), which refuses a certificate whose topic differs. The private key never
 * leaves the server.
 */
public final class PushCertificateRoutes implements ApiModule {

    static final String VIEW = "mdm.view_pushcertificate";
    static final String ADD = "mdm.add_pushcertificate";
    static final String CHANGE = "mdm.change_pushcertificate";
    static final String TYPE = "mdm.pushcertificate";
    private static final int MAX_PEM = 64 * 1024;

    private final PushCertificateRepository repository;
    private final ApiAudit audit;

    public PushCertificateRoutes(PushCertificateRepository repository, ApiAudit audit) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public List<ApiRoute> routes() {
        String base = "/api/mdm/push_certificates/";
        return List.of(
                new ApiRoute("GET", base, List.of(VIEW), "List push certificates (filter name)", this::list),
                new ApiRoute("POST", base, List.of(ADD),
                        "Create a push certificate: {name} for a server-generated key, or {name, certificate,"
                                + " private_key, key_password} to upload", this::create),
                new ApiRoute("GET", base + "{id}/", List.of(VIEW), "Get a push certificate", this::get),
                new ApiRoute("PUT", base + "{id}/", List.of(CHANGE),
                        "Upload or renew the certificate {certificate, private_key?, key_password?};"
                                + " the topic must not change", this::update),
                new ApiRoute("GET", base + "{id}/csr/", List.of(VIEW),
                        "Download the CSR (DER) of a server-generated key", this::csr));
    }

    private ApiResponse list(ApiCall call) throws ApiException {
        List<PushCertificate> certs = repository.list(call.filter("name").orElse(null));
        return Pagination.respond(call, certs.stream().map(PushCertificateRoutes::serialize).toList());
    }

    private ApiResponse get(ApiCall call) throws ApiException {
        return ApiResponse.ok(serialize(find(call.pathId("id"))));
    }

    private PushCertificate find(long id) throws ApiException {
        return repository.findById(id).orElseThrow(() -> ApiException.notFound("id"));
    }

    private ApiResponse create(ApiCall call) throws ApiException {
        JsonBody body = call.body();
        String name = body.string("name", 256);
        PushCertificate created;
        try {
            if (body.present("certificate")) {
                Upload upload = parseUpload(body, null);
                created = repository.create(name, null, upload.material());
            } else {
                if (body.present("private_key")) {
                    throw ApiException.field("certificate", "A private key can only be uploaded with its certificate.");
                }
                KeyPair pair = KeyPairs.rsa(2048);
                created = repository.create(name, null,
                        new PushCertificateRepository.Material(null, null, pair.getPrivate().getEncoded(), null, null));
            }
        } catch (StoreException e) {
            throw StoreErrors.map(e, "name");
        }
        audit.record(call, "created", TYPE, created.id(), Map.of("name", name,
                "topic", String.valueOf(created.topic()), "key_generated", !body.present("certificate")));
        return ApiResponse.created(serialize(created));
    }

    private ApiResponse update(ApiCall call) throws ApiException {
        long id = call.pathId("id");
        PushCertificate current = find(id);
        JsonBody body = call.body();
        PrivateKey storedKey = null;
        if (!body.present("private_key")) {
            storedKey = storedKey(id, "private_key",
                    "This push certificate has no private key on the server: upload the key with the certificate.");
        }
        Upload upload = parseUpload(body, storedKey);
        if (current.topic() != null && !current.topic().equals(upload.material().topic())) {
            throw ApiException.field("certificate", "The topic of this certificate (" + upload.material().topic()
                    + ") differs from the topic of the push certificate (" + current.topic() + "). Renew the existing"
                    + " certificate in the Apple Push Certificates Portal (Renew, not Create a Certificate), so that"
                    + " enrolled devices keep receiving notifications.");
        }
        Optional<PushCertificate> sameTopic = repository.findByTopic(upload.material().topic());
        if (sameTopic.isPresent() && sameTopic.get().id() != id) {
            throw ApiException.field("certificate", "Another push certificate already has the topic "
                    + upload.material().topic() + ".");
        }
        PushCertificate updated;
        try {
            updated = repository.updateCertificate(id, upload.material());
        } catch (StoreException e) {
            throw StoreErrors.map(e, "certificate");
        }
        audit.record(call, current.topic() == null ? "certificate_uploaded" : "renewed", TYPE, id, Map.of(
                "topic", upload.material().topic(), "certificate_sha256", upload.fingerprint(),
                "not_after", ApiTimestamps.format(upload.material().notAfter()),
                "key_uploaded", body.present("private_key")));
        return ApiResponse.ok(serialize(updated));
    }

    private ApiResponse csr(ApiCall call) throws ApiException {
        long id = call.pathId("id");
        PushCertificate cert = find(id);
        PrivateKey key = storedKey(id, "id", "This push certificate has no server-generated key.");
        if (!(key instanceof java.security.interfaces.RSAPrivateCrtKey rsa)) {
            throw ApiException.field("id", "The stored key is not an RSA key.");
        }
        KeyPair pair;
        try {
            java.security.KeyFactory factory = java.security.KeyFactory.getInstance("RSA");
            pair = new KeyPair(factory.generatePublic(new java.security.spec.RSAPublicKeySpec(rsa.getModulus(),
                    rsa.getPublicExponent())), key);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JRE", e);
        }
        byte[] der = Csrs.create(pair, "CN=Orchard Push Certificate " + cert.id());
        audit.record(call, "csr_downloaded", TYPE, id, Map.of());
        return ApiResponse.file(der, "application/pkcs10", "push_certificate_" + id + ".csr");
    }

    private PrivateKey storedKey(long id, String field, String missing) throws ApiException {
        try {
            byte[] der = repository.privateKey(id).orElseThrow(() -> ApiException.field(field, missing));
            return Pem.readPrivateKey(der);
        } catch (StoreException e) {
            throw StoreErrors.map(e, field);
        } catch (CryptoException e) {
            throw ApiException.detail(409, "The stored private key cannot be read.");
        }
    }

    private record Upload(PushCertificateRepository.Material material, String fingerprint) {
    }

    private Upload parseUpload(JsonBody body, PrivateKey storedKey) throws ApiException {
        String pem = body.string("certificate", MAX_PEM);
        X509Certificate cert;
        try {
            cert = Certificates.parse(pem.getBytes(StandardCharsets.US_ASCII));
        } catch (CryptoException e) {
            throw ApiException.field("certificate", "Not a valid certificate.");
        }
        String topic = Certificates.subjectAttribute(cert, NameAttribute.UID);
        if (topic == null || topic.isBlank()) {
            throw ApiException.field("certificate", "The certificate subject has no UID: it is not an APNs push certificate.");
        }
        PrivateKey key = storedKey;
        boolean uploadedKey = body.present("private_key");
        if (uploadedKey) {
            String keyPem = body.string("private_key", MAX_PEM);
            Optional<String> password = body.optString("key_password", 1024);
            try {
                key = Pem.readPrivateKey(keyPem.getBytes(StandardCharsets.US_ASCII),
                        password.map(String::toCharArray).orElse(null));
            } catch (DecryptionException e) {
                throw ApiException.field("key_password", "Wrong or missing password for the private key.");
            } catch (CryptoException e) {
                throw ApiException.field("private_key", "Not a valid private key.");
            }
        }
        try {
            Certificates.checkKeyMatches(cert, key);
        } catch (KeyMismatchException e) {
            throw ApiException.field(uploadedKey ? "private_key" : "certificate",
                    "The certificate and the private key do not match.");
        }
        return new Upload(new PushCertificateRepository.Material(topic, Pem.certificate(cert),
                uploadedKey ? key.getEncoded() : null, cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()),
                Certificates.sha256Fingerprint(cert));
    }

    /** Zentral's push certificate JSON (no key material). */
    public static Map<String, Object> serialize(PushCertificate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("provisioning_uid", c.provisioningUid());
        m.put("name", c.name());
        m.put("topic", c.topic());
        m.put("not_before", ApiTimestamps.format(c.notBefore()));
        m.put("not_after", ApiTimestamps.format(c.notAfter()));
        m.put("certificate", c.certificatePem());
        m.put("created_at", ApiTimestamps.format(c.createdAt()));
        m.put("updated_at", ApiTimestamps.format(c.updatedAt()));
        return m;
    }
}
