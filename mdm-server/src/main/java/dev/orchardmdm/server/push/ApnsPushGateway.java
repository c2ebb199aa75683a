package dev.orchardmdm.server.push;

import dev.orchardmdm.apns.ApnsClient;
import dev.orchardmdm.apns.ApnsEnvironment;
import dev.orchardmdm.apns.ApnsException;
import dev.orchardmdm.apns.MdmPush;
import dev.orchardmdm.apns.PushCredentials;
import dev.orchardmdm.apns.PushOutcome;
import dev.orchardmdm.apns.PushResult;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Sends pushes through mdm-apns, with one {@link ApnsClient} per push certificate, rebuilt when the
 * certificate is renewed. A certificate that cannot be loaded yields
 * {@link PushOutcome.CertificateRejected} for its pushes.
 */
public final class ApnsPushGateway implements PushGateway {
    private record Cached(Instant updatedAt, ApnsClient client) {
    }

    private final Store store;
    private final UnaryOperator<ApnsClient.Builder> customizer;
    private final Map<Long, Cached> clients = new ConcurrentHashMap<>();

    /**
     * @param customizer adjusts each client (environment, base URL, trust for tests); identity for
     *                   Apple's production service
     */
    public ApnsPushGateway(Store store, UnaryOperator<ApnsClient.Builder> customizer) {
        this.store = Objects.requireNonNull(store, "store");
        this.customizer = Objects.requireNonNull(customizer, "customizer");
    }

    /** A gateway to Apple's production APNs service. */
    public static ApnsPushGateway production(Store store) {
        return new ApnsPushGateway(store, b -> b.environment(ApnsEnvironment.PRODUCTION));
    }

    @Override
    public List<PushOutcome> send(long pushCertificateId, List<MdmPush> pushes) throws InterruptedException {
        ApnsClient client;
        try {
            client = client(pushCertificateId);
        } catch (StoreException | CryptoException | ApnsException e) {
            PushOutcome rejected = new PushOutcome.CertificateRejected(0, "push certificate unusable: " + e.getMessage());
            return pushes.stream().map(p -> rejected).toList();
        }
        List<PushResult> results = client.notifyBulk(pushes);
        List<PushOutcome> outcomes = new ArrayList<>(results.size());
        for (PushResult r : results) {
            outcomes.add(r.outcome());
        }
        return outcomes;
    }

    private ApnsClient client(long id) throws StoreException, CryptoException, ApnsException {
        PushCertificate pc = store.pushCertificates().findById(id)
                .orElseThrow(() -> new ApnsException("push certificate " + id + " is gone"));
        Cached cached = clients.get(id);
        if (cached != null && cached.updatedAt().equals(pc.updatedAt())) {
            return cached.client();
        }
        if (pc.certificatePem() == null) {
            throw new ApnsException("push certificate " + id + " has no certificate yet");
        }
        List<X509Certificate> chain = Certificates.parseChain(pc.certificatePem());
        PrivateKey key = Pem.readPrivateKey(store.pushCertificates().privateKey(id)
                .orElseThrow(() -> new ApnsException("push certificate " + id + " has no private key")));
        PushCredentials credentials = PushCredentials.of(chain.get(0), key,
                chain.subList(1, chain.size()).toArray(new X509Certificate[0]));
        ApnsClient client = customizer.apply(ApnsClient.builder(credentials)).build();
        Cached previous = clients.put(id, new Cached(pc.updatedAt(), client));
        if (previous != null) {
            previous.client().close();
        }
        return client;
    }

    @Override
    public void close() {
        clients.values().forEach(c -> c.client().close());
        clients.clear();
    }
}
