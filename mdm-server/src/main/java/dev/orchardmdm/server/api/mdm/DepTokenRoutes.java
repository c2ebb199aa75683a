package dev.orchardmdm.server.api.mdm;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.abm.ServerTokens;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.ade.AdeAccount;
import dev.orchardmdm.dep.ade.AdeServerToken;
import dev.orchardmdm.server.api.ApiAudit;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.StoreErrors;
import dev.orchardmdm.store.DepRepository;
import dev.orchardmdm.store.DepToken;
import dev.orchardmdm.store.DepVirtualServer;
import dev.orchardmdm.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Onboarding an ADE virtual server: {@code POST dep/tokens/} makes a key pair and its certificate,
 * {@code GET dep/tokens/<id>/public_key/} downloads the certificate to upload in Apple Business
 * Manager, {@code PUT dep/tokens/<id>/} uploads the {@code .p7m} server token Apple returns (raw
 * body): it is decrypted with the token's key, checked against Apple's {@code account} endpoint,
 * and the virtual server is created or updated. Uploading a new server token renews it.
 */
public final class DepTokenRoutes implements ApiModule {

    private final DepRepository dep;
    private final DepRoutes.AdeConnector connector;
    private final ApiAudit audit;

    public DepTokenRoutes(DepRepository dep, DepRoutes.AdeConnector connector, ApiAudit audit) {
        this.dep = Objects.requireNonNull(dep, "dep");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public List<ApiRoute> routes() {
        String base = "/api/mdm/dep/tokens/";
        return List.of(
                new ApiRoute("POST", base, List.of("mdm.add_deptoken"),
                        "Start an ADE server token: a new key pair and its public key certificate", this::create),
                new ApiRoute("GET", base + "{id}/", List.of("mdm.view_deptoken"), "Get an ADE server token", this::get),
                new ApiRoute("GET", base + "{id}/public_key/", List.of("mdm.view_deptoken"),
                        "Download the public key certificate (PEM) to upload in Apple Business Manager", this::publicKey),
                new ApiRoute("PUT", base + "{id}/", List.of("mdm.change_deptoken"),
                        "Upload (or renew) the .p7m server token from Apple Business Manager (raw body)", this::upload));
    }

    private DepToken find(ApiCall call) throws ApiException {
        return dep.findToken(call.pathId("id")).orElseThrow(() -> ApiException.notFound("id"));
    }

    private ApiResponse create(ApiCall call) throws ApiException {
        KeyAndChain key = ServerTokens.newTokenKey("orchard-dep-token-" + UUID.randomUUID());
        DepToken token;
        try {
            token = dep.createToken(Pem.certificate(key.certificate()), key.privateKey().getEncoded());
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
        audit.record(call, "created", "mdm.deptoken", token.id(),
                Map.of("certificate_sha256", Certificates.sha256Fingerprint(key.certificate())));
        return ApiResponse.created(serialize(token, null));
    }

    private ApiResponse get(ApiCall call) throws ApiException {
        DepToken token = find(call);
        return ApiResponse.ok(serialize(token, server(token.id())));
    }

    private DepVirtualServer server(long tokenId) {
        return dep.listVirtualServers(null).stream().filter(s -> s.tokenId() == tokenId).findFirst().orElse(null);
    }

    private ApiResponse publicKey(ApiCall call) throws ApiException {
        DepToken token = find(call);
        return ApiResponse.file(token.certificatePem().getBytes(StandardCharsets.US_ASCII), "application/x-pem-file",
                "orchard_dep_token_" + token.id() + ".pem");
    }

    private ApiResponse upload(ApiCall call) throws ApiException {
        DepToken token = find(call);
        byte[] p7m = call.rawBody();
        if (p7m.length == 0) {
            throw ApiException.field("server_token", "Upload the .p7m file as the request body.");
        }
        AdeServerToken serverToken;
        try {
            PrivateKey key = Pem.readPrivateKey(dep.tokenPrivateKey(token.id()));
            KeyAndChain keyAndChain = KeyAndChain.of(key, Certificates.parse(
                    token.certificatePem().getBytes(StandardCharsets.US_ASCII)));
            serverToken = AdeServerToken.from(ServerTokens.decrypt(p7m, keyAndChain));
        } catch (DecryptionException e) {
            throw ApiException.field("server_token", "This server token was not made for this public key.");
        } catch (CryptoException | AbmException e) {
            throw ApiException.field("server_token", "Not a valid server token: " + e.getMessage());
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
        AdeAccount account;
        try {
            account = connector.connect(serverToken).account();
        } catch (AbmException e) {
            return new ApiResponse(502, Map.of("error", String.valueOf(e.getMessage())), null, null, null);
        }
        DepVirtualServer server;
        try {
            dep.setTokenCredentials(token.id(), new DepToken.Credentials(serverToken.consumerKey(),
                    serverToken.consumerSecret(), serverToken.accessToken(), serverToken.accessSecret(),
                    serverToken.accessTokenExpiry()));
            server = dep.upsertVirtualServer(new DepVirtualServer.Spec(account.serverName(),
                    UUID.fromString(account.serverUuid()), token.id(), account.orgName(), account.orgEmail(),
                    account.orgPhone(), account.orgAddress(), account.orgType(), account.orgVersion()));
        } catch (StoreException e) {
            throw StoreErrors.map(e, "server_token");
        } catch (IllegalArgumentException e) {
            throw ApiException.field("server_token", "Apple's account answer has no valid server uuid.");
        }
        audit.record(call, "server_token_uploaded", "mdm.deptoken", token.id(), Map.of(
                "virtual_server", server.id(), "server_uuid", server.uuid().toString(),
                "access_token_expiry", ApiTimestamps.format(serverToken.accessTokenExpiry())));
        return ApiResponse.ok(serialize(dep.findToken(token.id()).orElse(token), server));
    }

    /** The token JSON (no secret: consumer key and expiry only). */
    static Map<String, Object> serialize(DepToken t, DepVirtualServer server) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("certificate", t.certificatePem());
        m.put("consumer_key", t.consumerKey());
        m.put("access_token_expiry", ApiTimestamps.format(t.accessTokenExpiry()));
        m.put("virtual_server", server == null ? null : DepRoutes.server(server));
        m.put("last_synced_at", ApiTimestamps.format(t.lastSyncedAt()));
        m.put("created_at", ApiTimestamps.format(t.createdAt()));
        m.put("updated_at", ApiTimestamps.format(t.updatedAt()));
        return m;
    }
}
