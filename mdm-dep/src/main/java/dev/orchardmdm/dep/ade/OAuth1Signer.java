package dev.orchardmdm.dep.ade;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;

/**
 * OAuth 1.0a request signing with HMAC-SHA1 (RFC 5849 §3.4), as Apple's ADE {@code /session} endpoint requires.
 *
 * <p>The static methods are the pure steps of the RFC (percent-encoding §3.6, parameter normalisation §3.4.1.3.2,
 * base string §3.4.1, signature §3.4.2); an instance holds one set of credentials and signs requests with a fresh
 * timestamp and nonce.
 */
public final class OAuth1Signer {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String consumerKey;
    private final String consumerSecret;
    private final String token;
    private final String tokenSecret;
    private final Clock clock;
    private final SecureRandom random;

    public OAuth1Signer(String consumerKey, String consumerSecret, String token, String tokenSecret, Clock clock,
                        SecureRandom random) {
        this.consumerKey = Objects.requireNonNull(consumerKey, "consumerKey");
        this.consumerSecret = Objects.requireNonNull(consumerSecret, "consumerSecret");
        this.token = Objects.requireNonNull(token, "token");
        this.tokenSecret = Objects.requireNonNull(tokenSecret, "tokenSecret");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The {@code Authorization} header for a request without a form body, with a fresh timestamp and nonce. */
    public String authorizationHeader(String method, HttpUrl url, String realm) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return authorizationHeader(method, url, List.of(), realm, clock.instant().getEpochSecond(),
                HexFormat.of().formatHex(nonce));
    }

    /**
     * The {@code Authorization} header for the given timestamp and nonce.
     *
     * @param formParameters decoded {@code application/x-www-form-urlencoded} body parameters, if any
     * @param realm          the realm to announce (not signed), or null
     */
    public String authorizationHeader(String method, HttpUrl url, List<Map.Entry<String, String>> formParameters,
                                      String realm, long timestamp, String nonce) {
        Map<String, String> oauth = new LinkedHashMap<>();
        oauth.put("oauth_consumer_key", consumerKey);
        oauth.put("oauth_token", token);
        oauth.put("oauth_signature_method", "HMAC-SHA1");
        oauth.put("oauth_timestamp", Long.toString(timestamp));
        oauth.put("oauth_nonce", nonce);
        oauth.put("oauth_version", "1.0");
        String base = signatureBaseString(method, url, formParameters, oauth);
        oauth.put("oauth_signature", hmacSha1(base, consumerSecret, tokenSecret));
        StringBuilder header = new StringBuilder("OAuth ");
        if (realm != null) {
            header.append("realm=\"").append(percentEncode(realm)).append("\", ");
        }
        boolean first = true;
        for (Map.Entry<String, String> e : oauth.entrySet()) {
            if (!first) {
                header.append(", ");
            }
            first = false;
            header.append(percentEncode(e.getKey())).append("=\"").append(percentEncode(e.getValue())).append('"');
        }
        return header.toString();
    }

    /** RFC 5849 §3.6: UTF-8, then every byte outside {@code ALPHA / DIGIT / "-" / "." / "_" / "~"} as %XX. */
    public static String percentEncode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * RFC 5849 §3.4.1.3.2: encode every name and value, sort by encoded name then encoded value, join as
     * {@code name=value} with {@code &}.
     */
    public static String normalizeParameters(List<Map.Entry<String, String>> parameters) {
        List<String[]> encoded = new ArrayList<>(parameters.size());
        for (Map.Entry<String, String> p : parameters) {
            encoded.add(new String[] {percentEncode(p.getKey()), percentEncode(p.getValue() == null ? "" : p.getValue())});
        }
        encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder out = new StringBuilder();
        for (String[] p : encoded) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /** RFC 5849 §3.4.1.2: lower-case scheme and host, the port only when not the default, the path, no query. */
    public static String baseStringUri(HttpUrl url) {
        StringBuilder out = new StringBuilder();
        out.append(url.scheme().toLowerCase(Locale.ROOT)).append("://").append(url.host().toLowerCase(Locale.ROOT));
        if (url.port() != HttpUrl.defaultPort(url.scheme())) {
            out.append(':').append(url.port());
        }
        out.append(url.encodedPath());
        return out.toString();
    }

    /**
     * RFC 5849 §3.4.1.1: {@code METHOD&encoded-base-string-uri&encoded-normalised-parameters}, the parameters being
     * the URL's query, the form body's parameters and the {@code oauth_*} protocol parameters (minus
     * {@code oauth_signature} and {@code realm}).
     */
    public static String signatureBaseString(String method, HttpUrl url, List<Map.Entry<String, String>> formParameters,
                                             Map<String, String> oauthParameters) {
        List<Map.Entry<String, String>> all = new ArrayList<>();
        for (int i = 0; i < url.querySize(); i++) {
            String value = url.queryParameterValue(i);
            all.add(Map.entry(url.queryParameterName(i), value == null ? "" : value));
        }
        all.addAll(formParameters);
        for (Map.Entry<String, String> e : oauthParameters.entrySet()) {
            if (!e.getKey().equals("oauth_signature") && !e.getKey().equals("realm")) {
                all.add(e);
            }
        }
        return method.toUpperCase(Locale.ROOT) + '&' + percentEncode(baseStringUri(url)) + '&'
                + percentEncode(normalizeParameters(all));
    }

    /** RFC 5849 §3.4.2: base64 of HMAC-SHA1 over the base string, keyed by {@code enc(secret)&enc(tokenSecret)}. */
    public static String hmacSha1(String baseString, String clientSecret, String tokenSecret) {
        String key = percentEncode(clientSecret) + '&' + percentEncode(tokenSecret == null ? "" : tokenSecret);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }
}
