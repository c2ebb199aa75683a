package dev.orchardmdm.crypto.abm;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.cms.EnvelopedMessages;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Limits;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Apple Business Manager (ADE/DEP and Apps and Books) server tokens: the key pair and certificate
 * the admin uploads to ABM, and the decryption of the {@code .p7m} ABM returns.
 */
public final class ServerTokens {
    private static final String BEGIN = "-----BEGIN MESSAGE-----";
    private static final String END = "-----END MESSAGE-----";

    private ServerTokens() {
    }

    /**
     * The OAuth 1 credentials of an ADE server token. {@link #toString()} hides the secrets.
     *
     * @param consumerKey       consumer_key
     * @param consumerSecret    consumer_secret
     * @param accessToken       access_token
     * @param accessSecret      access_secret
     * @param accessTokenExpiry access_token_expiry, as ABM writes it (e.g. {@code 2025-11-26T10:00:00Z})
     */
    public record OAuthTokens(String consumerKey, String consumerSecret, String accessToken, String accessSecret,
                              String accessTokenExpiry) {
        public OAuthTokens {
            Objects.requireNonNull(consumerKey);
            Objects.requireNonNull(consumerSecret);
            Objects.requireNonNull(accessToken);
            Objects.requireNonNull(accessSecret);
            Objects.requireNonNull(accessTokenExpiry);
        }

        @Override
        public String toString() {
            return "OAuthTokens[consumerKey=" + consumerKey + ", accessTokenExpiry=" + accessTokenExpiry + "]";
        }
    }

    /**
     * A new RSA-2048 key and self-signed certificate (valid 2 years) to upload to ABM; keep the key
     * (sealed) to decrypt the server token.
     */
    public static KeyAndChain newTokenKey(String commonName) {
        KeyPair kp = KeyPairs.rsa(2048);
        X509Certificate cert = new CertificateBuilder(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName)
                .build(), kp.getPublic())
                .validFor(Duration.ofDays(730))
                .keyUsage(KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.digitalSignature)
                .selfSigned(kp.getPrivate());
        return KeyAndChain.of(kp.getPrivate(), cert);
    }

    /**
     * Decrypts a server token file ({@code .p7m}: S/MIME text, PEM or DER EnvelopedData) and reads
     * the OAuth tokens from the JSON between its {@code -----BEGIN MESSAGE-----} lines.
     *
     * @throws dev.orchardmdm.crypto.DecryptionException if the token was made for another key
     * @throws MalformedDataException                     if the file or its JSON is malformed
     */
    public static OAuthTokens decrypt(byte[] p7m, KeyAndChain tokenKey) throws CryptoException {
        Limits.check("server token", p7m.length, Limits.MAX_ENCODED);
        byte[] plain = EnvelopedMessages.decrypt(smimeToDer(p7m), tokenKey, Limits.MAX_ENCODED);
        return parseMessage(new String(plain, StandardCharsets.UTF_8));
    }

    /** Reads the tokens from the decrypted message text (MIME headers, then the BEGIN/END MESSAGE block). */
    public static OAuthTokens parseMessage(String message) throws MalformedDataException {
        int begin = message.indexOf(BEGIN);
        int end = message.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new MalformedDataException("the server token has no -----BEGIN MESSAGE----- block");
        }
        Map<String, String> json = FlatJson.parseObject(message.substring(begin + BEGIN.length(), end).trim());
        return new OAuthTokens(field(json, "consumer_key"), field(json, "consumer_secret"), field(json, "access_token"),
                field(json, "access_secret"), field(json, "access_token_expiry"));
    }

    private static String field(Map<String, String> json, String name) throws MalformedDataException {
        String v = json.get(name);
        if (v == null || v.isEmpty() || v.equals("null")) {
            throw new MalformedDataException("the server token lacks " + name);
        }
        return v;
    }

    /** S/MIME ({@code Content-Type: application/pkcs7-mime} headers, base64 body), PEM or DER to DER. */
    static byte[] smimeToDer(byte[] input) throws MalformedDataException {
        if (input.length > 0 && input[0] == 0x30) {
            return input;
        }
        String text = new String(input, StandardCharsets.US_ASCII).replace("\r\n", "\n");
        String body = text;
        if (text.contains("-----BEGIN")) {
            body = text.replaceAll("-----(BEGIN|END) [A-Z0-9 ]+-----", "");
        } else {
            int blank = text.indexOf("\n\n");
            if (text.regionMatches(true, 0, "MIME-Version", 0, 12) || text.regionMatches(true, 0, "Content-", 0, 8)) {
                if (blank < 0) {
                    throw new MalformedDataException("S/MIME headers without a body");
                }
                body = text.substring(blank + 2);
            }
        }
        try {
            return Base64.getMimeDecoder().decode(body.trim());
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("the server token is neither S/MIME, PEM nor DER", e);
        }
    }
}
