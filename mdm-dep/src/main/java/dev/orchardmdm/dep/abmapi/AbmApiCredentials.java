package dev.orchardmdm.dep.abmapi;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.dep.AbmTokenFormatException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The credential of an Apple School / Business Manager API account: its client id, the id of its key and the EC
 * P-256 private key downloaded from ABM/ASM ("Preferences → API → Generate Private Key").
 *
 * <p>The client id says which API the account belongs to: {@code BUSINESSAPI.…} is Apple Business Manager
 * ({@value #BUSINESS_SCOPE}, {@code https://api-business.apple.com/v1/}), anything else Apple School Manager
 * ({@value #SCHOOL_SCOPE}, {@code https://api-school.apple.com/v1/}). {@link #toString()} never shows the key.
 */
public final class AbmApiCredentials {

    /** The OAuth scope of Apple Business Manager API accounts. */
    public static final String BUSINESS_SCOPE = "business.api";
    /** The OAuth scope of Apple School Manager API accounts. */
    public static final String SCHOOL_SCOPE = "school.api";
    /** Apple Business Manager's API. */
    public static final HttpUrl BUSINESS_BASE_URL = HttpUrl.get("https://api-business.apple.com/v1/");
    /** Apple School Manager's API. */
    public static final HttpUrl SCHOOL_BASE_URL = HttpUrl.get("https://api-school.apple.com/v1/");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_PEM_BYTES = 16 * 1024;

    private final String clientId;
    private final String keyId;
    private final ECPrivateKey privateKey;

    private AbmApiCredentials(String clientId, String keyId, ECPrivateKey privateKey) {
        this.clientId = clientId;
        this.keyId = keyId;
        this.privateKey = privateKey;
    }

    /**
     * Credentials from an already loaded key.
     *
     * @throws AbmTokenFormatException if an id is malformed or the key is not an EC P-256 key
     */
    public static AbmApiCredentials of(String clientId, String keyId, PrivateKey key) throws AbmTokenFormatException {
        checkId("client id", clientId);
        checkId("key id", keyId);
        Objects.requireNonNull(key, "key");
        if (!(key instanceof ECPrivateKey ec) || !isP256(ec.getParams())) {
            throw new AbmTokenFormatException("the API account key must be an EC P-256 private key, not "
                    + key.getAlgorithm());
        }
        return new AbmApiCredentials(clientId.strip(), keyId.strip(), ec);
    }

    /**
     * Credentials from the private key file as ABM/ASM lets an admin download it (PEM: {@code PRIVATE KEY} or
     * {@code EC PRIVATE KEY}), read with mdm-crypto's {@link Pem#readPrivateKey(byte[])}.
     */
    public static AbmApiCredentials fromPem(String clientId, String keyId, byte[] pem) throws AbmTokenFormatException {
        Objects.requireNonNull(pem, "pem");
        if (pem.length > MAX_PEM_BYTES) {
            throw new AbmTokenFormatException("the API account key file is larger than " + MAX_PEM_BYTES + " bytes");
        }
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(pem);
        } catch (CryptoException e) {
            throw new AbmTokenFormatException("the API account key file holds no readable private key", e);
        }
        return of(clientId, keyId, key);
    }

    private static void checkId(String what, String value) throws AbmTokenFormatException {
        if (value == null || !ID.matcher(value.strip()).matches()) {
            throw new AbmTokenFormatException("the API account's " + what + " is missing or malformed");
        }
    }

    private static boolean isP256(ECParameterSpec params) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec p256 = p.getParameterSpec(ECParameterSpec.class);
            return params != null && p256.getCurve().equals(params.getCurve())
                    && p256.getOrder().equals(params.getOrder())
                    && p256.getGenerator().equals(params.getGenerator());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks the P-256 curve", e);
        }
    }

    /** The API account's client id ({@code BUSINESSAPI.…} or {@code SCHOOLAPI.…}). */
    public String clientId() {
        return clientId;
    }

    /** The id of the key, sent as the JWT header's {@code kid}. */
    public String keyId() {
        return keyId;
    }

    /** The private key that signs client assertions. */
    public ECPrivateKey privateKey() {
        return privateKey;
    }

    /** True for an Apple Business Manager account (client id starting with {@code BUSINESSAPI.}). */
    public boolean isBusiness() {
        return clientId.startsWith("BUSINESSAPI.");
    }

    /** The OAuth scope to ask for: {@value #BUSINESS_SCOPE} or {@value #SCHOOL_SCOPE}. */
    public String scope() {
        return isBusiness() ? BUSINESS_SCOPE : SCHOOL_SCOPE;
    }

    /** Apple's API base URL for this account's kind. */
    public HttpUrl defaultBaseUrl() {
        return isBusiness() ? BUSINESS_BASE_URL : SCHOOL_BASE_URL;
    }

    @Override
    public String toString() {
        return "AbmApiCredentials[clientId=" + clientId + ", keyId=" + keyId + ", privateKey=<hidden>]";
    }
}
