package dev.orchardmdm.store;

import java.time.Instant;

/**
 * An ADE server token: the certificate whose key decrypts Apple's token file, the OAuth consumer
 * key and access token, and the sync cursor. The private key and the OAuth secrets are stored
 * encrypted and read through {@link DepRepository#tokenCredentials} / {@link DepRepository#tokenPrivateKey}.
 */
public record DepToken(long id, String certificatePem, String consumerKey, String accessToken, Instant accessTokenExpiry,
                       String syncCursor, Instant lastSyncedAt, Instant createdAt, Instant updatedAt) {

    /** The OAuth 1 credentials of Apple's token file. */
    public record Credentials(String consumerKey, String consumerSecret, String accessToken, String accessSecret,
                              Instant accessTokenExpiry) {
        @Override
        public String toString() {
            return "Credentials[consumerKey=" + consumerKey + ", secrets=<redacted>, expiry=" + accessTokenExpiry + "]";
        }
    }
}
