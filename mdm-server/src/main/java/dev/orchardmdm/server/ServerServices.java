package dev.orchardmdm.server;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.cms.AppleAttestationVerifier;
import dev.orchardmdm.crypto.cms.ProfileSigner;
import dev.orchardmdm.crypto.identity.DeviceIdentityVerifier;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.scep.IssuancePolicy;
import dev.orchardmdm.crypto.scep.ScepCa;
import dev.orchardmdm.crypto.secrets.SecretBox;
import dev.orchardmdm.server.config.ConfigException;
import dev.orchardmdm.server.config.ServerConfig;
import dev.orchardmdm.server.engine.EnrollmentProfiles;
import dev.orchardmdm.server.engine.EnrollmentSessions;
import dev.orchardmdm.server.engine.FileVaultEscrowKeys;
import dev.orchardmdm.server.engine.MdmEngine;
import dev.orchardmdm.server.engine.ScepIssuances;
import dev.orchardmdm.server.http.DeviceAuthenticator;
import dev.orchardmdm.server.metrics.ServerMetrics;
import dev.orchardmdm.server.storage.DdmStatusReports;
import dev.orchardmdm.store.Store;
import java.security.cert.X509Certificate;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What route modules (device endpoints, admin API) get from the server, composed here, in one
 * place, at start-up: configuration, storage, the MDM engine, enrollment sessions, the SCEP CA and
 * the device authenticator. Accessors are only ever added, never removed or changed.
 */
public final class ServerServices {
    /** Validity of device identity certificates issued by the embedded SCEP CA. */
    public static final Duration DEVICE_CERTIFICATE_VALIDITY = Duration.ofDays(365);
    /** How long before its expiry a device identity may be renewed through SCEP (RenewalReq). */
    public static final Duration SCEP_RENEWAL_WINDOW = dev.orchardmdm.crypto.scep.RenewalPolicy.DEFAULT_WINDOW;

    private final ServerContext context;
    private final MdmEngine engine;
    private final EnrollmentSessions enrollmentSessions;
    private final Optional<ScepCa> scepCa;
    private final List<X509Certificate> scepTrust;
    private final DeviceAuthenticator deviceAuthenticator;
    private final DdmStatusReports statusReports;
    private final EnrollmentProfiles enrollmentProfiles;
    private final Optional<SslContextFactory.Server> tls;
    private final ServerMetrics metrics = new ServerMetrics();

    /**
     * Composes the services over an open context.
     *
     * @throws ConfigException if {@code mdm.scep_ca_fullchain} is not a certificate chain
     * @throws CryptoException if the embedded identities cannot be read with the configured keys
     */
    public ServerServices(ServerContext context) throws ConfigException, CryptoException {
        this(context, AppleAttestationVerifier.withBundledAppleChain());
    }

    /**
     * Composes the services, trusting {@code appleAttestation} for OTA and ADE enrollment requests
     * (tests pass a verifier of their own test CA).
     */
    public ServerServices(ServerContext context, AppleAttestationVerifier appleAttestation)
            throws ConfigException, CryptoException {
        this.context = Objects.requireNonNull(context, "context");
        Store store = context.store();
        Clock clock = context.clock();
        ServerConfig.Mdm mdm = context.config().mdm();
        this.tls = tls(context.config().server());
        this.statusReports = new DdmStatusReports(context.database(), clock);
        this.enrollmentSessions = new EnrollmentSessions(store);
        metrics.bindDatabase(context.database());
        metrics.bindTasks(store.tasks());
        this.engine = new MdmEngine(store, clock, statusReports::store,
                new FileVaultEscrowKeys(store), mdm.inventoryInterval(), List.of(metrics.engineListener()));
        if (mdm.scepCaFullchainPem().isPresent()) {
            try {
                this.scepTrust = Certificates.parseChain(mdm.scepCaFullchainPem().get());
            } catch (CryptoException e) {
                throw new ConfigException("mdm.scep_ca_fullchain", "not a PEM certificate chain: " + e.getMessage(), e);
            }
            this.scepCa = Optional.empty();
        } else {
            KeyAndChain ca = context.identities().scepCa();
            this.scepTrust = ca.chain();
            ScepIssuances issuances = new ScepIssuances(store);
            this.scepCa = Optional.of(new ScepCa(ca, enrollmentSessions.scepChallengeChecker(),
                    metrics.scepIssuance(IssuancePolicy.deviceIdentity(DEVICE_CERTIFICATE_VALIDITY)), clock, issuances,
                    issuances.renewalPolicy(SCEP_RENEWAL_WINDOW)));
        }
        DeviceIdentityVerifier identities = new DeviceIdentityVerifier(scepTrust, Duration.ofMinutes(5), clock);
        this.deviceAuthenticator = new DeviceAuthenticator(identities, mdm.mtlsProxy(), mdm.trustedProxies());
        this.enrollmentProfiles = new EnrollmentProfiles(store, enrollmentSessions,
                new ProfileSigner(context.identities().profileSigning()), appleAttestation, identities,
                context.config().server().publicBase(), mdm.mtlsProxy());
    }

    /** The listener's TLS context, when {@code server.tls} is configured. */
    public Optional<SslContextFactory.Server> tls() {
        return tls;
    }

    private static Optional<SslContextFactory.Server> tls(ServerConfig.Server server) throws ConfigException {
        if (server.tls().isEmpty()) {
            return Optional.empty();
        }
        java.util.List<X509Certificate> chain;
        java.security.PrivateKey key;
        try {
            chain = Certificates.parseChain(server.tls().get().certificatePem());
        } catch (CryptoException e) {
            throw new ConfigException("server.tls.certificate", "not a PEM certificate chain: " + e.getMessage(), e);
        }
        try {
            key = Pem.readPrivateKey(server.tls().get().privateKeyPem().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Certificates.checkKeyMatches(chain.get(0), key);
        } catch (CryptoException e) {
            throw new ConfigException("server.tls.private_key", "unusable: " + e.getMessage(), e);
        }
        try {
            char[] password = java.util.UUID.randomUUID().toString().toCharArray();
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(new X509Certificate[0]));
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setKeyStore(store);
            factory.setKeyStorePassword(new String(password));
            return Optional.of(factory);
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new ConfigException("server.tls", "cannot build the TLS key store: " + e.getMessage(), e);
        }
    }

    /** Signed enrollment profiles, OTA and ADE enrollment flows. */
    public EnrollmentProfiles enrollmentProfiles() {
        return enrollmentProfiles;
    }

    /** The bootstrap context: configuration, database, secrets at rest. */
    public ServerContext context() {
        return context;
    }

    /** The resolved configuration. */
    public ServerConfig config() {
        return context.config();
    }

    /** The repositories (push certificates, enrollments, devices, commands, …). */
    public Store store() {
        return context.store();
    }

    /** The secrets at rest. */
    public SecretBox secretBox() {
        return context.secretBox();
    }

    /** The clock every component uses. */
    public Clock clock() {
        return context.clock();
    }

    /** The MDM engine: the device service chain and the command service (queue + wake). */
    public MdmEngine engine() {
        return engine;
    }

    /** Enrollment sessions (fresh session per profile download, SCEP challenge checks). */
    public EnrollmentSessions enrollmentSessions() {
        return enrollmentSessions;
    }

    /** The embedded SCEP CA, absent when {@code mdm.scep_ca_fullchain} names an external one. */
    public Optional<ScepCa> scepCa() {
        return scepCa;
    }

    /** The certificates device identities must chain to. */
    public List<X509Certificate> scepTrust() {
        return scepTrust;
    }

    /** Reads device identities from requests. */
    public DeviceAuthenticator deviceAuthenticator() {
        return deviceAuthenticator;
    }

    /** The server's metrics (Prometheus registry, decorators and listeners). */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** Declarative-management status reports. */
    public DdmStatusReports statusReports() {
        return statusReports;
    }
}
