package dev.orchardmdm.server.http;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.identity.DeviceIdentityVerifier;
import dev.orchardmdm.crypto.identity.Identity;
import dev.orchardmdm.server.engine.MdmException;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * Establishes a device's certificate identity on {@code checkin/} and {@code connect/}:
 * <ul>
 *   <li>an {@code Mdm-Signature} header is always verified (detached CMS over the body), in both modes;</li>
 *   <li>without it, and only when {@code mdm.mtls_proxy} is true, {@code X-SSL-Client-Cert} (and
 *       {@code X-SSL-Client-S-DN}) from the TLS-terminating proxy are used — only on a connection from
 *       one of {@code mdm.trusted_proxies} (loopback by default): from any other address they are
 *       refused (403), so a client that reaches the server around the proxy cannot claim an
 *       identity; with {@code mtls_proxy} false these headers are ignored.</li>
 * </ul>
 * Either way the certificate must chain to the SCEP CA. A malformed header is a 400; a signature
 * or certificate that does not verify is a 403.
 */
public final class DeviceAuthenticator {
    /** The signed-message header. */
    public static final String MDM_SIGNATURE = "Mdm-Signature";
    /** The proxy's URL-escaped client certificate header. */
    public static final String CLIENT_CERT = "X-SSL-Client-Cert";
    /** The proxy's client subject DN header. */
    public static final String CLIENT_DN = "X-SSL-Client-S-DN";

    private final DeviceIdentityVerifier verifier;
    private final boolean mtlsProxy;
    private final InetAddressSet trustedProxies = new InetAddressSet();

    /**
     * @param trustedProxies addresses and CIDR ranges (literals) whose proxy headers are believed
     */
    public DeviceAuthenticator(DeviceIdentityVerifier verifier, boolean mtlsProxy, List<String> trustedProxies) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.mtlsProxy = mtlsProxy;
        trustedProxies.forEach(this.trustedProxies::add);
    }

    /** Whether a connection from {@code remoteAddress} (a literal IP) may carry proxy headers. */
    boolean fromTrustedProxy(String remoteAddress) {
        try {
            return remoteAddress != null && trustedProxies.test(InetAddress.getByName(remoteAddress));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The identity of the request whose body is {@code body}. */
    public Identity authenticate(Context ctx, byte[] body) throws MdmException {
        String signature = ctx.header(MDM_SIGNATURE);
        try {
            if (signature != null) {
                return verifier.fromMdmSignature(signature, body);
            }
            String cert = ctx.header(CLIENT_CERT);
            if (mtlsProxy && cert != null && !cert.isBlank()) {
                if (!fromTrustedProxy(ctx.req().getRemoteAddr())) {
                    throw new MdmException.Forbidden("client certificate headers from an address that is not in"
                            + " mdm.trusted_proxies");
                }
                return verifier.fromProxyHeaders(cert, ctx.header(CLIENT_DN));
            }
        } catch (MalformedDataException | OversizedInputException e) {
            throw new MdmException.BadRequest("bad device identity: " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new MdmException.Forbidden("device identity refused: " + e.getMessage(), e);
        }
        throw new MdmException.Forbidden(mtlsProxy ? "no client certificate and no Mdm-Signature"
                : "missing Mdm-Signature");
    }
}
