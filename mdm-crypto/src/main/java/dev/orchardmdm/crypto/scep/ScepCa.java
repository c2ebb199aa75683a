package dev.orchardmdm.crypto.scep;

import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.UntrustedCertificateException;
import dev.orchardmdm.crypto.WeakKeyException;
import dev.orchardmdm.crypto.cms.SignedMessages;
import dev.orchardmdm.crypto.keys.Asn1Nesting;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.ChainVerifier;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SCEP certificate authority (RFC 8894), transport-neutral: the HTTP layer passes the
 * {@code operation} and {@code message} query parameters and the body to {@link #handle}, and
 * answers 200 with the returned content type and body.
 *
 * <p>Supported: GetCACaps, GetCACert, PKIOperation with PKCSReq (challenge password checked by a
 * {@link ChallengeChecker}, spent in an {@link IssuanceLedger}: one certificate per challenge and
 * subject) and RenewalReq (signed with a still-valid certificate of this CA, within the
 * {@link RenewalPolicy}'s window of its expiry, for the same subject, once per certificate). A
 * retry of the same transaction with the same key gets the same certificate again. CSR keys must
 * be RSA 2048–8192 or EC P-256/P-384 ({@link Csrs#requireAcceptableKey}, else {@code badAlg}).
 * Requests signed with SHA-1/256/512 and encrypted with DES, 3DES or AES-CBC are accepted; the
 * CertRep uses the request's digest and content cipher, so that the client can read it. Refusals
 * are answered with a signed CertRep FAILURE and the matching failInfo; input that is not a SCEP
 * message at all raises {@link MalformedDataException} (answer 400).
 */
public final class ScepCa {
    /** Largest accepted PKIOperation message. */
    public static final int MAX_MESSAGE = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ScepCa.class);
    private static final String CAPS = String.join("\n", "POSTPKIOperation", "SHA-1", "SHA-256", "SHA-512", "AES",
            "DES3", "SCEPStandard", "Renewal") + "\n";
    private static final Map<ASN1ObjectIdentifier, ASN1ObjectIdentifier> CIPHERS = Map.of(
            OIWObjectIdentifiers.desCBC, CMSAlgorithm.DES_CBC,
            PKCSObjectIdentifiers.des_EDE3_CBC, CMSAlgorithm.DES_EDE3_CBC,
            NISTObjectIdentifiers.id_aes128_CBC, CMSAlgorithm.AES128_CBC,
            NISTObjectIdentifiers.id_aes192_CBC, CMSAlgorithm.AES192_CBC,
            NISTObjectIdentifiers.id_aes256_CBC, CMSAlgorithm.AES256_CBC);
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final KeyAndChain ca;
    private final ChallengeChecker challengeChecker;
    private final IssuancePolicy policy;
    private final Clock clock;
    private final ChainVerifier renewalTrust;
    private final IssuanceLedger ledger;
    private final RenewalPolicy renewal;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param ca               the CA key (RSA: it decrypts requests) and chain, issuing CA first
     * @param challengeChecker decides on PKCSReq challenge passwords
     * @param policy           decides what is issued
     * @param clock            the clock (validity of issued and renewing certificates)
     */
    public ScepCa(KeyAndChain ca, ChallengeChecker challengeChecker, IssuancePolicy policy, Clock clock)
            throws CryptoException {
        this(ca, challengeChecker, policy, clock, IssuanceLedger.inMemory(),
                RenewalPolicy.within(RenewalPolicy.DEFAULT_WINDOW));
    }

    /**
     * A CA whose challenges and renewals are spent in {@code ledger} (a shared store when several
     * processes serve SCEP) and whose renewals follow {@code renewal}.
     *
     * @param ledger  records what each challenge and renewed certificate was spent on
     * @param renewal which certificates may be renewed, and when
     */
    public ScepCa(KeyAndChain ca, ChallengeChecker challengeChecker, IssuancePolicy policy, Clock clock,
                  IssuanceLedger ledger, RenewalPolicy renewal) throws CryptoException {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.renewal = Objects.requireNonNull(renewal, "renewal");
        Certificates.checkKeyMatches(ca.certificate(), ca.privateKey());
        if (!"RSA".equals(ca.privateKey().getAlgorithm())) {
            throw new MalformedDataException("a SCEP CA key must be RSA (clients encrypt requests to it)");
        }
        this.ca = ca;
        this.challengeChecker = Objects.requireNonNull(challengeChecker);
        this.policy = Objects.requireNonNull(policy);
        this.clock = Objects.requireNonNull(clock);
        this.renewalTrust = new ChainVerifier(List.of(ca.certificate()));
    }

    /**
     * A new self-signed RSA-2048 CA identity for the embedded SCEP CA (store the key sealed and the
     * certificate as the server's {@code scep_ca_fullchain}).
     *
     * @param commonName the CA's CN, e.g. {@code Orchard SCEP CA}
     * @param validity   how long the CA is valid (e.g. 10 years)
     */
    public static KeyAndChain newCaIdentity(String commonName, Duration validity) {
        java.security.KeyPair kp = KeyPairs.rsa(2048);
        X509Certificate cert = new CertificateBuilder(new org.bouncycastle.asn1.x500.X500NameBuilder(
                org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE)
                .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, commonName).build(), kp.getPublic())
                .validFor(validity).ca(0).selfSigned(kp.getPrivate());
        return KeyAndChain.of(kp.getPrivate(), cert);
    }

    /**
     * Answers one SCEP HTTP request.
     *
     * @param operation the {@code operation} query parameter
     * @param message   the (URL-decoded) {@code message} query parameter, or {@code null}; for a GET
     *                  PKIOperation it is the base64 request
     * @param body      the POST body, or {@code null} for a GET
     * @throws MalformedDataException if the operation is unknown or the message is not a SCEP request
     */
    public ScepResponse handle(String operation, String message, byte[] body) throws CryptoException {
        if (operation == null) {
            throw new MalformedDataException("missing SCEP operation");
        }
        switch (operation) {
            case "GetCACaps":
                return getCaCaps();
            case "GetCACert":
                return getCaCert();
            case "PKIOperation":
                if (body != null && body.length > 0) {
                    return pkiOperation(body);
                }
                if (message == null || message.isEmpty()) {
                    throw new MalformedDataException("PKIOperation without a message");
                }
                if (message.length() > MAX_MESSAGE * 4 / 3 + 4) {
                    throw new OversizedInputException("PKIOperation message", message.length(), MAX_MESSAGE * 4 / 3 + 4);
                }
                try {
                    return pkiOperation(Base64.getMimeDecoder().decode(message.replace(' ', '+')));
                } catch (IllegalArgumentException e) {
                    throw new MalformedDataException("PKIOperation message is not base64", e);
                }
            default:
                throw new MalformedDataException("unknown SCEP operation");
        }
    }

    /** GetCACaps: the capabilities, one per line. */
    public ScepResponse getCaCaps() {
        return ScepResponse.of("text/plain", CAPS.getBytes(StandardCharsets.US_ASCII));
    }

    /** GetCACert: the CA certificate alone (DER), or a certs-only PKCS#7 of the chain. */
    public ScepResponse getCaCert() {
        if (ca.chain().size() == 1) {
            return ScepResponse.of("application/x-x509-ca-cert", Certificates.der(ca.certificate()));
        }
        return ScepResponse.of("application/x-x509-ca-ra-cert", certsOnly(ca.chain()));
    }

    /** PKIOperation: a PKCSReq or RenewalReq in, a signed CertRep out. */
    public ScepResponse pkiOperation(byte[] message) throws CryptoException {
        ContentInfo info = SignedMessages.parseContentInfo(message, CMSObjectIdentifiers.signedData, MAX_MESSAGE);
        try {
            return pkiOperation(info);
        } catch (RuntimeException e) {
            // the ASN.1 is parsed lazily: a structure broken deep inside surfaces here
            throw new MalformedDataException("malformed SCEP request: " + e.getMessage(), e);
        }
    }

    private ScepResponse pkiOperation(ContentInfo info) throws CryptoException {
        CMSSignedData signed;
        SignerInformation signer;
        X509Certificate signerCert = null;
        List<X509Certificate> certs = new ArrayList<>();
        byte[] envelope;
        try {
            signed = new CMSSignedData(info);
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                throw new MalformedDataException("a SCEP request has exactly one signer");
            }
            signer = signers.iterator().next();
            @SuppressWarnings("unchecked")
            Store<X509CertificateHolder> store = signed.getCertificates();
            for (X509CertificateHolder h : store.getMatches(null)) {
                X509Certificate c = Certificates.parseDer(h.getEncoded());
                certs.add(c);
                if (signerCert == null && signer.getSID().match(h)) {
                    signerCert = c;
                }
            }
            Object content = signed.getSignedContent() == null ? null : signed.getSignedContent().getContent();
            if (!(content instanceof byte[] bytes)) {
                throw new MalformedDataException("the SCEP request carries no pkcsPKIEnvelope");
            }
            envelope = bytes;
        } catch (CMSException | IOException | RuntimeException e) {
            throw new MalformedDataException("malformed SCEP request: " + e.getMessage(), e);
        }
        if (signerCert == null) {
            throw new MalformedDataException("the SCEP request does not carry its signer's certificate");
        }
        AttributeTable attrs = signer.getSignedAttributes();
        String transactionId = ScepAttributes.string(attrs, ScepAttributes.TRANSACTION_ID);
        String typeText = ScepAttributes.string(attrs, ScepAttributes.MESSAGE_TYPE);
        byte[] senderNonce = ScepAttributes.octets(attrs, ScepAttributes.SENDER_NONCE);
        if (transactionId == null || typeText == null || senderNonce == null) {
            throw new MalformedDataException("the SCEP request lacks transactionID, messageType or senderNonce");
        }
        String digest = digestName(signer.getDigestAlgOID());
        Reply reply = new Reply(transactionId, senderNonce, signerCert, digest == null ? "SHA256" : digest);
        if (digest == null) {
            return reply.failure(FailInfo.BAD_ALG, "digest " + signer.getDigestAlgOID() + " is not supported");
        }
        try {
            // verified with the bare public key: the signer's validity is judged below (renewal) or not at all
            // (the self-signed certificate of a PKCSReq is only a key holder)
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Bc.PROVIDER)
                    .build(signerCert.getPublicKey()))) {
                return reply.failure(FailInfo.BAD_MESSAGE_CHECK, "the request signature does not verify");
            }
        } catch (Exception e) {
            return reply.failure(FailInfo.BAD_MESSAGE_CHECK, "the request signature does not verify");
        }
        MessageType type;
        try {
            type = MessageType.of(Integer.parseInt(typeText.trim()));
        } catch (NumberFormatException e) {
            type = null;
        }
        if (type != MessageType.PKCS_REQ && type != MessageType.RENEWAL_REQ) {
            return reply.failure(FailInfo.BAD_REQUEST, "unsupported messageType " + typeText);
        }
        // decrypt the pkcsPKIEnvelope
        CMSEnvelopedData enveloped;
        byte[] csrDer;
        try {
            Asn1Nesting.check("pkcsPKIEnvelope", envelope, Asn1Nesting.MAX_DEPTH);
            enveloped = new CMSEnvelopedData(envelope);
        } catch (CMSException | MalformedDataException | RuntimeException e) {
            return reply.failure(FailInfo.BAD_REQUEST, "the pkcsPKIEnvelope is not EnvelopedData");
        }
        ASN1ObjectIdentifier cipher = CIPHERS.get(enveloped.getContentEncryptionAlgorithm().getAlgorithm());
        if (cipher == null) {
            return reply.failure(FailInfo.BAD_ALG, "content cipher " + enveloped.getEncryptionAlgOID() + " is not supported");
        }
        reply.cipher = cipher;
        try {
            csrDer = decrypt(enveloped);
        } catch (Exception e) {
            return reply.failure(FailInfo.BAD_MESSAGE_CHECK, "the pkcsPKIEnvelope cannot be decrypted with the CA key");
        }
        PKCS10CertificationRequest csr;
        ScepRequest request;
        try {
            csr = Csrs.parse(csrDer);
            request = new ScepRequest(type, transactionId, csr.getSubject(), Csrs.publicKey(csr), challenge(csr),
                    signerCert, csr);
        } catch (CryptoException e) {
            return reply.failure(FailInfo.BAD_REQUEST, "invalid CSR: " + e.getMessage());
        }
        try {
            Csrs.requireAcceptableKey(request.publicKey());
        } catch (WeakKeyException e) {
            return reply.failure(FailInfo.BAD_ALG, "CSR key refused: " + e.getMessage());
        }
        Instant now = clock.instant();
        X500Name subject;
        String claim;
        if (type == MessageType.PKCS_REQ) {
            if (request.challengePassword() == null) {
                return reply.failure(FailInfo.BAD_REQUEST, "challenge password missing");
            }
            claim = challengeClaim(request);
            Optional<ScepResponse> retry = retry(reply, claim, request, signerCert.getPublicKey().equals(request.publicKey()));
            if (retry.isPresent()) {
                return retry.get();
            }
            if (!challengeChecker.accept(request.challengePassword(), request)) {
                return reply.failure(FailInfo.BAD_REQUEST, "challenge password refused");
            }
            subject = null;
        } else {
            try {
                if (signerCert.getBasicConstraints() >= 0) {
                    throw new UntrustedCertificateException("a CA certificate cannot renew");
                }
                renewalTrust.verify(signerCert, List.of(), now, Duration.ZERO);
            } catch (UntrustedCertificateException e) {
                // not e.getMessage(): it quotes the subject, which may hold an enrollment secret
                return reply.failure(FailInfo.BAD_REQUEST, "renewal not signed by a valid certificate of this CA ("
                        + e.getClass().getSimpleName() + ")");
            }
            claim = "RenewalReq:" + Certificates.sha256Fingerprint(signerCert);
            Optional<ScepResponse> retry = retry(reply, claim, request, true);
            if (retry.isPresent()) {
                return retry.get();
            }
            subject = X500Name.getInstance(signerCert.getSubjectX500Principal().getEncoded());
            Instant renewableFrom = signerCert.getNotAfter().toInstant().minus(renewal.window());
            if (now.isBefore(renewableFrom)) {
                return reply.failure(FailInfo.BAD_REQUEST, "renewal outside the renewal window: the certificate"
                        + " can be renewed from " + renewableFrom + " (" + renewal.window().toDays()
                        + " days before it expires)");
            }
            if (!subject.equals(request.subject())) {
                return reply.failure(FailInfo.BAD_REQUEST, "a renewal keeps the subject of the certificate it renews");
            }
            if (!renewal.current().test(signerCert)) {
                return reply.failure(FailInfo.BAD_REQUEST,
                        "the renewing certificate is not current (superseded, revoked or of an ended enrollment)");
            }
        }
        IssuancePolicy.Issuance issuance;
        try {
            issuance = policy.decide(request);
        } catch (ScepRejectedException e) {
            return reply.failure(e.failInfo(), e.getMessage());
        }
        // a renewal keeps the renewed certificate's subject, whatever the policy would pick
        CertificateBuilder builder = new CertificateBuilder(subject != null ? subject : issuance.subject(),
                request.publicKey())
                .validity(now.minus(BACKDATE), now.plus(issuance.validity()))
                .keyUsage(issuance.keyUsage());
        issuance.extendedKeyUsages().forEach(builder::extendedKeyUsage);
        X509Certificate issued = builder.issuedBy(ca.certificate(), ca.privateKey());
        if (!ledger.record(claim, request, issued)) {
            return reply.failure(FailInfo.BAD_REQUEST, type == MessageType.PKCS_REQ
                    ? "challenge password already used" : "certificate already renewed");
        }
        // The subject is not logged: enrollment flows put their session secret (the SCEP challenge) in the CN.
        LOG.info("SCEP {} {}: issued certificate serial {} (SHA-256 {})", type, transactionId,
                issued.getSerialNumber().toString(16), Certificates.sha256Fingerprint(issued));
        return reply.success(issued);
    }

    /**
     * The claim of a PKCSReq: its challenge with its subject (hashed: the ledger never holds the
     * challenge itself).
     */
    private static String challengeClaim(ScepRequest request) throws CryptoException {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(request.challengePassword().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(request.subject().getEncoded("DER"));
            return "PKCSReq:" + java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot hash the challenge", e);
        }
    }

    /**
     * The CertRep of a retried request: the certificate already issued for this claim to the same
     * transaction and key, re-sent (encrypted to the retrying signer, who must hold that key).
     */
    private Optional<ScepResponse> retry(Reply reply, String claim, ScepRequest request, boolean signerHoldsKey)
            throws CryptoException {
        Optional<X509Certificate> previous = ledger.previous(claim, request);
        if (previous.isEmpty() || !signerHoldsKey) {
            return Optional.empty();
        }
        LOG.info("SCEP {} {}: retried, certificate serial {} sent again", request.type(), request.transactionId(),
                previous.get().getSerialNumber().toString(16));
        return Optional.of(reply.success(previous.get()));
    }

    private byte[] decrypt(CMSEnvelopedData enveloped) throws CMSException, MalformedDataException {
        for (RecipientInformation r : enveloped.getRecipientInfos().getRecipients()) {
            if (r instanceof KeyTransRecipientInformation) {
                try {
                    return r.getContent(new JceKeyTransEnvelopedRecipient(ca.privateKey()).setProvider(Bc.PROVIDER));
                } catch (CMSException e) {
                    // not for us, or not decryptable: try the next recipient
                }
            }
        }
        throw new MalformedDataException("no recipient of the envelope is this CA");
    }

    private static String challenge(PKCS10CertificationRequest csr) {
        for (org.bouncycastle.asn1.pkcs.Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword)) {
            if (a.getAttrValues().size() == 1 && a.getAttrValues().getObjectAt(0) instanceof org.bouncycastle.asn1.ASN1String s) {
                return s.getString();
            }
        }
        return null;
    }

    private static String digestName(String oid) {
        if (oid.equals(OIWObjectIdentifiers.idSHA1.getId())) {
            return "SHA1";
        }
        if (oid.equals(NISTObjectIdentifiers.id_sha256.getId())) {
            return "SHA256";
        }
        if (oid.equals(NISTObjectIdentifiers.id_sha384.getId())) {
            return "SHA384";
        }
        if (oid.equals(NISTObjectIdentifiers.id_sha512.getId())) {
            return "SHA512";
        }
        return null;
    }

    /** A degenerate certs-only SignedData (DER). */
    static byte[] certsOnly(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addCertificates(new JcaCertStore(certificates));
            return gen.generate(new CMSAbsentContent()).getEncoded("DER");
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode the certificates", e);
        }
    }

    /** Builds the CertRep for one request. */
    private final class Reply {
        private final String transactionId;
        private final byte[] recipientNonce;
        private final X509Certificate recipient;
        private final String digest;
        private ASN1ObjectIdentifier cipher = CMSAlgorithm.DES_EDE3_CBC;

        Reply(String transactionId, byte[] recipientNonce, X509Certificate recipient, String digest) {
            this.transactionId = transactionId;
            this.recipientNonce = recipientNonce;
            this.recipient = recipient;
            this.digest = digest;
        }

        ScepResponse failure(FailInfo failInfo, String reason) throws CryptoException {
            LOG.info("SCEP {}: FAILURE {} ({})", transactionId, failInfo, reason);
            Hashtable<ASN1ObjectIdentifier, Attribute> attrs = attributes("2");
            put(attrs, ScepAttributes.FAIL_INFO, new DERPrintableString(Integer.toString(failInfo.code())));
            byte[] body = sign(new CMSAbsentContent(), attrs);
            return new ScepResponse("application/x-pki-message", body, null, failInfo + ": " + reason);
        }

        ScepResponse success(X509Certificate issued) throws CryptoException {
            byte[] degenerate = certsOnly(List.of(issued));
            byte[] envelope;
            try {
                CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
                gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient).setProvider(Bc.PROVIDER));
                envelope = gen.generate(new CMSProcessableByteArray(degenerate),
                        new JceCMSContentEncryptorBuilder(cipher).setProvider(Bc.PROVIDER).build()).getEncoded();
            } catch (Exception e) {
                return failure(FailInfo.BAD_ALG, "cannot encrypt the reply to the requester's certificate");
            }
            byte[] body = sign(new CMSProcessableByteArray(envelope), attributes("0"));
            return new ScepResponse("application/x-pki-message", body, issued, null);
        }

        private Hashtable<ASN1ObjectIdentifier, Attribute> attributes(String status) {
            Hashtable<ASN1ObjectIdentifier, Attribute> attrs = new Hashtable<>();
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            put(attrs, ScepAttributes.TRANSACTION_ID, new DERPrintableString(transactionId));
            put(attrs, ScepAttributes.MESSAGE_TYPE, new DERPrintableString(Integer.toString(MessageType.CERT_REP.code())));
            put(attrs, ScepAttributes.PKI_STATUS, new DERPrintableString(status));
            put(attrs, ScepAttributes.SENDER_NONCE, new DEROctetString(nonce));
            put(attrs, ScepAttributes.RECIPIENT_NONCE, new DEROctetString(recipientNonce));
            return attrs;
        }

        private void put(Hashtable<ASN1ObjectIdentifier, Attribute> attrs, ASN1ObjectIdentifier oid, ASN1Encodable v) {
            attrs.put(oid, new Attribute(oid, new DERSet(v)));
        }

        private byte[] sign(CMSTypedData content, Hashtable<ASN1ObjectIdentifier, Attribute> attrs) {
            try {
                CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
                gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                        new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build())
                        .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
                        .build(new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(ca.privateKey(), digest))
                                .setProvider(Bc.PROVIDER).build(ca.privateKey()), ca.certificate()));
                gen.addCertificates(new JcaCertStore(List.of(ca.certificate())));
                return gen.generate(content, !(content instanceof CMSAbsentContent)).getEncoded("DER");
            } catch (Exception e) {
                throw new IllegalStateException("cannot sign the CertRep", e);
            }
        }
    }
}
