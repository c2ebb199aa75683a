package dev.orchardmdm.crypto.cms;

import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import java.security.cert.X509Certificate;
import java.util.Collection;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;

/**
 * Decrypts CMS EnvelopedData (RSA key transport, any content cipher Bouncy Castle knows: AES,
 * 3DES, DES...): FileVault recovery keys, ABM server tokens.
 */
public final class EnvelopedMessages {
    private EnvelopedMessages() {
    }

    /**
     * Decrypts {@code cms} (DER or BER EnvelopedData) for the holder of {@code recipient}.
     *
     * @param maxSize largest accepted message
     * @throws dev.orchardmdm.crypto.WrongContentTypeException if it is another CMS type
     * @throws MalformedDataException                           if it is not CMS
     * @throws DecryptionException                              if it is not for this key or is corrupt
     */
    public static byte[] decrypt(byte[] cms, KeyAndChain recipient, int maxSize) throws CryptoException {
        ContentInfo info = SignedMessages.parseContentInfo(cms, CMSObjectIdentifiers.envelopedData, maxSize);
        try {
            return decrypt(info, recipient);
        } catch (RuntimeException e) {
            // the ASN.1 is parsed lazily: a structure broken deep inside surfaces here
            throw new MalformedDataException("malformed EnvelopedData: " + e.getMessage(), e);
        }
    }

    private static byte[] decrypt(ContentInfo info, KeyAndChain recipient) throws CryptoException {
        CMSEnvelopedData enveloped;
        try {
            enveloped = new CMSEnvelopedData(info);
        } catch (CMSException | RuntimeException e) {
            throw new MalformedDataException("malformed EnvelopedData: " + e.getMessage(), e);
        }
        X509Certificate cert = recipient.certificate();
        RecipientInformation mine = enveloped.getRecipientInfos().get(new JceKeyTransRecipientId(cert));
        Collection<RecipientInformation> candidates = mine != null ? java.util.List.of(mine)
                : enveloped.getRecipientInfos().getRecipients();
        CryptoException last = new DecryptionException("the message is not encrypted for this certificate");
        for (RecipientInformation r : candidates) {
            if (!(r instanceof KeyTransRecipientInformation)) {
                continue;
            }
            try {
                return r.getContent(new JceKeyTransEnvelopedRecipient(recipient.privateKey()).setProvider(Bc.PROVIDER));
            } catch (CMSException | RuntimeException e) {
                last = new DecryptionException("cannot decrypt the EnvelopedData with this key", e);
            }
        }
        throw last;
    }
}
