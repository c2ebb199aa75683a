package dev.orchardmdm.cli.admin;

import dev.orchardmdm.cli.CliException;
import dev.orchardmdm.cli.Passwords;
import dev.orchardmdm.cli.Terminal;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.KeyMismatchException;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.push.PushCertificate;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.store.ConflictException;
import dev.orchardmdm.store.InvalidStateException;
import dev.orchardmdm.store.PushCertificateRepository;
import dev.orchardmdm.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mdm push-certs}: the APNs push certificates of the server. */
@Command(name = "push-certs", mixinStandardHelpOptions = true,
        description = "Import, renew and list the server's APNs push certificates.",
        subcommands = {PushCertsCommand.Import.class, PushCertsCommand.Renew.class, PushCertsCommand.ListCerts.class})
public final class PushCertsCommand {
    static final String PUSH_PASSWORD_ENV = "MDM_PUSH_KEY_PASSWORD";

    /** The certificate and key options shared by import and renew. */
    static final class Material {
        @Option(names = "--certificate", paramLabel = "FILE",
                description = "The push certificate Apple issued (PEM or DER).")
        Path certificate;

        @Option(names = "--key", paramLabel = "FILE",
                description = "Its private key (push.key: PEM or DER, encrypted or not).")
        Path key;

        @Option(names = "--pkcs12", paramLabel = "FILE",
                description = "Instead of --certificate and --key: both in one PKCS#12 file (.p12, as exported"
                        + " from Keychain Access).")
        Path pkcs12;

        @Option(names = "--key-password-file", paramLabel = "FILE",
                description = "Read the password of the key (or of the PKCS#12 file) from the first line of FILE"
                        + " (else $" + PUSH_PASSWORD_ENV + ", else a prompt, asked only if the key is encrypted).")
        Path keyPasswordFile;

        /** Reads, decrypts and checks the certificate and key: they match, have a topic and are valid now. */
        PushCertificate load(Terminal terminal, Instant now) throws CliException {
            PushCertificate push;
            if (pkcs12 != null) {
                if (certificate != null || key != null) {
                    throw new CliException("--pkcs12 replaces --certificate and --key: give one or the other");
                }
                push = loadPkcs12(terminal);
            } else {
                if (certificate == null || key == null) {
                    throw new CliException("give the certificate and its key: --certificate FILE --key FILE"
                            + " (or --pkcs12 FILE)");
                }
                push = loadPair(terminal);
            }
            if (now.isAfter(push.notAfter())) {
                throw new CliException("the push certificate expired on " + push.notAfter()
                        + "; renew it in the Apple Push Certificates Portal");
            }
            if (now.isBefore(push.notBefore())) {
                throw new CliException("the push certificate is not valid before " + push.notBefore());
            }
            return push;
        }

        private PushCertificate loadPkcs12(Terminal terminal) throws CliException {
            byte[] p12 = read(pkcs12, "PKCS#12 file");
            char[] password = new Passwords("PKCS#12 file", keyPasswordFile, PUSH_PASSWORD_ENV).existing(terminal);
            try {
                return PushCertificate.fromPkcs12(p12, password);
            } catch (DecryptionException e) {
                throw new CliException("wrong password for the PKCS#12 file " + pkcs12, e);
            } catch (CryptoException e) {
                throw new CliException("cannot read the PKCS#12 file " + pkcs12 + ": " + e.getMessage(), e);
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private PushCertificate loadPair(Terminal terminal) throws CliException {
            byte[] certificateBytes = read(certificate, "certificate");
            byte[] keyBytes = read(key, "private key");
            try {
                return loadWith(certificateBytes, keyBytes, null);
            } catch (DecryptionException encrypted) {
                char[] password = new Passwords("push key", keyPasswordFile, PUSH_PASSWORD_ENV).existing(terminal);
                try {
                    return loadWith(certificateBytes, keyBytes, password);
                } catch (DecryptionException e) {
                    throw new CliException("wrong password for the private key " + key, e);
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
        }

        private PushCertificate loadWith(byte[] certificateBytes, byte[] keyBytes, char[] password)
                throws CliException, DecryptionException {
            try {
                return PushCertificate.load(certificateBytes, keyBytes, password);
            } catch (DecryptionException e) {
                throw e;
            } catch (KeyMismatchException e) {
                throw new CliException("the private key " + key + " is not the key of the certificate "
                        + certificate + " (was the certificate requested with another push.csr?)", e);
            } catch (CryptoException e) {
                throw new CliException("cannot read the push certificate " + certificate + " and key " + key + ": "
                        + e.getMessage(), e);
            }
        }

        private static byte[] read(Path file, String what) throws CliException {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CliException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
            }
        }

        static PushCertificateRepository.Material toStore(PushCertificate push) {
            return new PushCertificateRepository.Material(push.topic(), Pem.certificate(push.certificate()),
                    push.privateKey().getEncoded(), push.notBefore(), push.notAfter());
        }
    }

    private static java.util.Map<String, String> auditDetail(dev.orchardmdm.store.PushCertificate stored) {
        return java.util.Map.of("name", stored.name(), "topic", stored.topic(),
                "not_after", String.valueOf(stored.notAfter()));
    }

    private static void printResult(Terminal terminal, dev.orchardmdm.store.PushCertificate stored) {
        terminal.out().println("id:        " + stored.id());
        terminal.out().println("name:      " + stored.name());
        terminal.out().println("topic:     " + stored.topic());
        terminal.out().println("not after: " + stored.notAfter());
    }

    /** {@code import}: a new push certificate. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Add a new push certificate (the portal's Create a Certificate).",
                    "To replace an existing certificate with its renewal, use renew: devices enrolled with a",
                    "topic only ever accept pushes for that topic."})
    static final class Import implements Callable<Integer> {
        private final Terminal terminal;
        @Spec CommandSpec spec;
        @Mixin Material material = new Material();

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A unique name.")
        String name;

        Import(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws CliException {
            try (ServerContext context = ConfigOption.open(spec, terminal)) {
                PushCertificate push = material.load(terminal, context.clock().instant());
                PushCertificateRepository repository = context.store().pushCertificates();
                if (!repository.list(name).isEmpty()) {
                    throw new CliException("a push certificate named '" + name + "' exists already; to install"
                            + " its renewal use: mdm push-certs renew --name " + name + " …");
                }
                var sameTopic = repository.findByTopic(push.topic());
                if (sameTopic.isPresent()) {
                    throw new CliException("the push certificate '" + sameTopic.get().name() + "' (id "
                            + sameTopic.get().id() + ") has the topic " + push.topic() + " already; this is its"
                            + " renewal: mdm push-certs renew --name " + sameTopic.get().name() + " …");
                }
                var stored = repository.create(name, null, Material.toStore(push));
                Audit.record(context, terminal, "created", "push_certificate", stored.id(), auditDetail(stored));
                printResult(terminal, stored);
            } catch (ConflictException e) {
                throw new CliException("the push certificate conflicts with an existing one: " + e.getMessage(), e);
            } catch (StoreException e) {
                throw new CliException("cannot store the push certificate: " + e.getMessage(), e);
            }
            return 0;
        }
    }

    /** {@code renew}: the renewal of an existing push certificate; its topic must not change. */
    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = {"Replace a push certificate with its renewal (the portal's Renew button).",
                    "The topic must stay the same: devices enrolled with the old certificate accept only it."})
    static final class Renew implements Callable<Integer> {
        private final Terminal terminal;
        @Spec CommandSpec spec;
        @Mixin Material material = new Material();

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "Name of the push certificate to renew.")
        String name;

        Renew(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws CliException {
            try (ServerContext context = ConfigOption.open(spec, terminal)) {
                PushCertificateRepository repository = context.store().pushCertificates();
                List<dev.orchardmdm.store.PushCertificate> found = repository.list(name);
                if (found.isEmpty()) {
                    throw new CliException("no push certificate is named '" + name + "' (see: mdm push-certs list)");
                }
                var current = found.get(0);
                PushCertificate push = material.load(terminal, context.clock().instant());
                if (current.topic() != null && !current.topic().equals(push.topic())) {
                    throw new CliException("the new certificate's topic " + push.topic() + " differs from the topic "
                            + current.topic() + " of '" + name + "': devices enrolled with it would no longer be"
                            + " reachable. In the Apple Push Certificates Portal, choose the certificate of topic "
                            + current.topic() + " and click Renew (not Create a Certificate), then run renew with"
                            + " that certificate. Nothing was changed.");
                }
                var stored = repository.updateCertificate(current.id(), Material.toStore(push));
                Audit.record(context, terminal, "renewed", "push_certificate", stored.id(), auditDetail(stored));
                printResult(terminal, stored);
            } catch (InvalidStateException e) {
                throw new CliException(e.getMessage() + "; nothing was changed", e);
            } catch (StoreException e) {
                throw new CliException("cannot store the push certificate: " + e.getMessage(), e);
            }
            return 0;
        }
    }

    /** {@code list}: the push certificates, one per line. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the push certificates.")
    static final class ListCerts implements Callable<Integer> {
        private final Terminal terminal;
        @Spec CommandSpec spec;

        ListCerts(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws CliException {
            try (ServerContext context = ConfigOption.open(spec, terminal)) {
                terminal.out().printf("%-6s %-24s %-52s %s%n", "ID", "NAME", "TOPIC", "NOT AFTER");
                for (var c : context.store().pushCertificates().list(null)) {
                    terminal.out().printf("%-6d %-24s %-52s %s%n", c.id(), c.name(),
                            c.topic() == null ? "-" : c.topic(), c.notAfter() == null ? "-" : c.notAfter());
                }
            }
            return 0;
        }
    }
}
