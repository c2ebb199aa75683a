package dev.orchardmdm.dep.ade;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** OAuth 1.0a signing against published example vectors (RFC 5849, OAuth Core 1.0, Twitter's developer docs). */
class OAuth1SignerTest {

    @Test
    void percentEncodingFollowsRfc5849() {
        assertThat(OAuth1Signer.percentEncode("Ladies + Gentlemen")).isEqualTo("Ladies%20%2B%20Gentlemen");
        assertThat(OAuth1Signer.percentEncode("An encoded string!")).isEqualTo("An%20encoded%20string%21");
        assertThat(OAuth1Signer.percentEncode("Dogs, Cats & Mice")).isEqualTo("Dogs%2C%20Cats%20%26%20Mice");
        assertThat(OAuth1Signer.percentEncode("\u2603")).isEqualTo("%E2%98%83");
        assertThat(OAuth1Signer.percentEncode("a-b.c_d~e*f")).isEqualTo("a-b.c_d~e%2Af");
    }

    @Test
    void rfc5849BaseStringExample() {
        // RFC 5849 §3.4.1.1: query b5=%3D%253D&a3=a&c%40=&a2=r%20b, body c2&a3=2+q
        HttpUrl url = HttpUrl.get("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b");
        Map<String, String> oauth = oauth("9djdj82h48djs9d2", "kkk9d7dh3k39sjv7", "137131201", "7d8f3e4a");
        oauth.put("oauth_signature", "ignored");
        String base = OAuth1Signer.signatureBaseString("post", url,
                List.of(Map.entry("c2", ""), Map.entry("a3", "2 q")), oauth);
        assertThat(base).isEqualTo("POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
                + "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2"
                + "%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201"
                + "%26oauth_token%3Dkkk9d7dh3k39sjv7");
    }

    @Test
    void baseStringUriDropsDefaultPortsAndLowercases() {
        assertThat(OAuth1Signer.baseStringUri(HttpUrl.get("HTTP://EXAMPLE.COM:80/r%20v/X?id=123")))
                .isEqualTo("http://example.com/r%20v/X");
        assertThat(OAuth1Signer.baseStringUri(HttpUrl.get("https://www.example.net:8080/?q=1")))
                .isEqualTo("https://www.example.net:8080/");
    }

    @Test
    void oauthCore10PhotosExample() {
        // OAuth Core 1.0 Appendix A.5.1/A.5.2
        HttpUrl url = HttpUrl.get("http://photos.example.net/photos?file=vacation.jpg&size=original");
        Map<String, String> oauth = oauth("dpf43f3p2l4k3l03", "nnch734d00sl2jdk", "1191242096", "kllo9940pd9333jh");
        oauth.put("oauth_version", "1.0");
        String base = OAuth1Signer.signatureBaseString("GET", url, List.of(), oauth);
        assertThat(base).isEqualTo("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg"
                + "%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh"
                + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096"
                + "%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal");
        assertThat(OAuth1Signer.hmacSha1(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"))
                .isEqualTo("tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
        assertThat(OAuth1Signer.hmacSha1(base, "kd94hf93k423kf45", "pfkkdhi9sl3r4s00"))
                .isNotEqualTo("tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    }

    @Test
    void twitterDeveloperDocsExample() {
        OAuth1Signer signer = new OAuth1Signer("xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), new SecureRandom());
        HttpUrl url = HttpUrl.get("https://api.twitter.com/1.1/statuses/update.json?include_entities=true");
        String header = signer.authorizationHeader("POST", url,
                List.of(Map.entry("status", "Hello Ladies + Gentlemen, a signed OAuth request!")), null,
                1318622958L, "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg");
        assertThat(header).startsWith("OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", ")
                .contains("oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\"")
                .contains("oauth_timestamp=\"1318622958\"")
                .contains("oauth_version=\"1.0\"")
                .endsWith("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\"");
    }

    @Test
    void freshHeadersUseRealmTimeAndUniqueNonces() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        OAuth1Signer signer = new OAuth1Signer("ck", "cs", "at", "as", clock, new SecureRandom());
        HttpUrl url = HttpUrl.get("https://mdmenrollment.apple.com/session");
        String a = signer.authorizationHeader("GET", url, "ADM");
        String b = signer.authorizationHeader("GET", url, "ADM");
        assertThat(a).startsWith("OAuth realm=\"ADM\", ").contains("oauth_timestamp=\"1700000000\"");
        assertThat(a).isNotEqualTo(b);
    }

    private static Map<String, String> oauth(String consumerKey, String token, String timestamp, String nonce) {
        Map<String, String> oauth = new LinkedHashMap<>();
        oauth.put("oauth_consumer_key", consumerKey);
        oauth.put("oauth_token", token);
        oauth.put("oauth_signature_method", "HMAC-SHA1");
        oauth.put("oauth_timestamp", timestamp);
        oauth.put("oauth_nonce", nonce);
        return oauth;
    }
}
