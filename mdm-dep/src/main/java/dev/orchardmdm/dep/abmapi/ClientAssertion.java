package dev.orchardmdm.dep.abmapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * The client assertion of the OAuth 2 client-credentials grant (RFC 7523): a JWT signed with ES256 by the API
 * account's key. Header {@code {"alg":"ES256","kid":…,"typ":"JWT"}}; claims {@code sub} = {@code iss} = the client
 * id, {@code aud} = the token URL, {@code iat}, {@code exp} (at most {@link #MAX_LIFETIME} later) and a random
 * {@code jti}. The signature is the JDK's {@code SHA256withECDSAinP1363Format}, i.e. JOSE's {@code r||s} form.
 */
public final class ClientAssertion {

    /** The longest validity Apple accepts for a client assertion. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(180);
    /** The JDK signature algorithm producing JOSE's fixed-length {@code r||s} ECDSA signature. */
    public static final String JDK_ALGORITHM = "SHA256withECDSAinP1363Format";

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private ClientAssertion() {
    }

    /**
     * A new signed assertion.
     *
     * @param credentials the API account
     * @param audience    the token endpoint's URL, exactly as the request is sent to it
     * @param now         the issue time ({@code iat}), whole seconds
     * @param lifetime    how long it is valid, 1 s to 180 days
     * @return the compact JWT ({@code header.claims.signature}, base64url without padding)
     */
    public static String create(AbmApiCredentials credentials, String audience, Instant now, Duration lifetime) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(now, "now");
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("an assertion lives between 1 s and 180 days");
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = mapper.createObjectNode().put("alg", "ES256").put("kid", credentials.keyId())
                .put("typ", "JWT");
        long iat = now.getEpochSecond();
        ObjectNode claims = mapper.createObjectNode()
                .put("sub", credentials.clientId())
                .put("aud", audience)
                .put("iat", iat)
                .put("exp", iat + lifetime.toSeconds())
                .put("jti", UUID.randomUUID().toString())
                .put("iss", credentials.clientId());
        String signingInput = B64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance(JDK_ALGORITHM);
            signature.initSign(credentials.privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the client assertion with the JDK's " + JDK_ALGORITHM, e);
        }
    }
}
