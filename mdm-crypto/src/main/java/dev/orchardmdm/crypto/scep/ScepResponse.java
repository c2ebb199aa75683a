package dev.orchardmdm.crypto.scep;

import java.security.cert.X509Certificate;

/**
 * What to answer over HTTP: a content type and a body, always with status 200 (SCEP reports
 * failures inside the signed CertRep).
 *
 * @param contentType the Content-Type header value
 * @param body        the response body
 * @param issued      the certificate issued by this PKIOperation, or {@code null}
 * @param failure     why the request was refused (for the log), or {@code null}
 */
public record ScepResponse(String contentType, byte[] body, X509Certificate issued, String failure) {
    /** A plain response (GetCACaps, GetCACert). */
    public static ScepResponse of(String contentType, byte[] body) {
        return new ScepResponse(contentType, body, null, null);
    }
}
