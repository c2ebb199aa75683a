package dev.orchardmdm.cli.certs;

import dev.orchardmdm.cli.CliException;
import dev.orchardmdm.cli.Mdm;
import dev.orchardmdm.cli.Passwords;
import dev.orchardmdm.cli.Terminal;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code mdm mdmcerts}: the MDM vendor certificate request and vendor-signed push certificate
 * requests, in a working directory, as Zentral's {@code mdmcerts} management command does.
 */
@Command(name = "mdmcerts",
        mixinStandardHelpOptions = true,
        description = {"MDM vendor certificate request, and vendor-signed push (APNs) certificate requests.",
                "Passwords are prompted without echo, or read from the first line of the file given with",
                "--vendor-password-file / --push-password-file, or from the environment variables",
                "MDM_VENDOR_KEY_PASSWORD / MDM_PUSH_KEY_PASSWORD."},
        subcommands = {MdmCertsCommand.Init.class, MdmCertsCommand.Req.class, MdmCertsCommand.SignReq.class})
public final class MdmCertsCommand {
    /** Subject of the vendor certificate request, as Zentral's. */
    static final String VENDOR_SUBJECT = "CN=MDM Vendor";
    static final String PUSH_KEY = "push.key";
    static final String PUSH_CSR = "push.csr";
    static final String PUSH_B64 = "push.b64";
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", defaultValue = "mdm_certificates", scope = ScopeType.INHERIT,
            description = "Working directory (default: ${DEFAULT-VALUE}); before or after the subcommand.")
    Path dir;

    @Spec
    CommandSpec spec;

    Clock clock = Clock.systemUTC();

    /** The working directory; {@code --config} (a global option of the admin commands) has no meaning here. */
    Path workingDir() throws CliException {
        if (spec.root().userObject() instanceof Mdm mdm && mdm.configFile() != null) {
            throw new CliException("--config does not apply to mdmcerts (it works in its directory, --dir)");
        }
        return dir;
    }

    /** Checks and normalises an ISO 3166-1 alpha-2 country code ({@code fr} becomes {@code FR}). */
    static String countryCode(String text) throws CliException {
        String code = text.toUpperCase(Locale.ROOT);
        if (code.length() != 2 || !COUNTRIES.contains(code)) {
            throw new CliException("'" + text + "' is not an ISO 3166-1 alpha-2 country code (e.g. US, FR, DE)");
        }
        return code;
    }

    /** The option that names the vendor key's password file. */
    static final class VendorPasswordOption {
        static final String ENV = "MDM_VENDOR_KEY_PASSWORD";

        @Option(names = "--vendor-password-file", paramLabel = "FILE",
                description = "Read the vendor key's password from the first line of FILE (else $" + ENV
                        + ", else a prompt).")
        Path file;

        Passwords passwords() {
            return new Passwords("vendor key", file, ENV);
        }
    }

    /** {@code init}: a new vendor key ({@code vendor.key}, encrypted) and its CSR ({@code vendor.csr}). */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create vendor.key (encrypted with a password you choose) and vendor.csr.",
                    "Upload vendor.csr to the Apple Developer portal (MDM CSR) and save the certificate",
                    "Apple returns as vendor.crt in the working directory."})
    static final class Init implements Callable<Integer> {
        private final Terminal terminal;
        @ParentCommand MdmCertsCommand parent;
        @Mixin VendorPasswordOption vendorPassword = new VendorPasswordOption();

        Init(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws CliException {
            Path dir = parent.workingDir();
            Path keyPath = dir.resolve(VendorIdentity.KEY);
            Path csrPath = dir.resolve(VendorIdentity.CSR);
            FileSet.requireAbsent(keyPath, csrPath);
            char[] password = vendorPassword.passwords().choose(terminal);
            boolean created = !Files.isDirectory(dir);
            try (FileSet files = new FileSet()) {
                if (created) {
                    createDirectory(dir);
                }
                KeyPair pair = KeyPairs.rsa(2048);
                byte[] csr = Csrs.create(pair, VENDOR_SUBJECT);
                files.stage(keyPath, ascii(Pem.encryptedPrivateKey(pair.getPrivate(), password)), true);
                files.stage(csrPath, ascii(Csrs.toPem(csr)), false);
                files.commit();
                created = false;
            } finally {
                Arrays.fill(password, '\0');
                if (created) {
                    deleteIfEmpty(dir);
                }
            }
            terminal.err().println("Wrote " + keyPath + " and " + csrPath + ".");
            terminal.err().println("Next: upload " + csrPath + " to the Apple Developer portal (MDM CSR), and save"
                    + " the certificate Apple returns as " + dir.resolve(VendorIdentity.CERTIFICATE) + ".");
            return 0;
        }
    }

    /** {@code req COUNTRYCODE}: a push key, its CSR and the vendor-signed request {@code push.b64}. */
    @Command(name = "req", mixinStandardHelpOptions = true,
            description = {"Create push.key (encrypted with a password you choose), push.csr (DER) and push.b64,",
                    "the request signed with vendor.key and vendor.crt, to upload to the Apple Push",
                    "Certificates Portal."})
    static final class Req implements Callable<Integer> {
        static final String PUSH_ENV = "MDM_PUSH_KEY_PASSWORD";
        private final Terminal terminal;
        @ParentCommand MdmCertsCommand parent;
        @Mixin VendorPasswordOption vendorPassword = new VendorPasswordOption();

        @Parameters(index = "0", paramLabel = "COUNTRYCODE",
                description = "ISO 3166-1 alpha-2 country code of the push certificate subject (e.g. US).")
        String country;

        @Option(names = {"-p", "--prefix"}, paramLabel = "PREFIX", defaultValue = "",
                description = "Prefix of the push file names (PREFIXpush.key, …), to keep several in one directory.")
        String prefix;

        @Option(names = "--push-password-file", paramLabel = "FILE",
                description = "Read the push key's password from the first line of FILE (else $" + PUSH_ENV
                        + ", else a prompt).")
        Path pushPasswordFile;

        Req(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws CliException {
            String cc = countryCode(country);
            if (prefix.contains("/") || prefix.contains(java.io.File.separator)) {
                throw new CliException("the prefix must not contain a path separator");
            }
            Path dir = parent.workingDir();
            Path keyPath = dir.resolve(prefix + PUSH_KEY);
            Path csrPath = dir.resolve(prefix + PUSH_CSR);
            Path b64Path = dir.resolve(prefix + PUSH_B64);
            X509Certificate vendorCertificate = VendorIdentity.checkFiles(dir, parent.clock);
            FileSet.requireAbsent(keyPath, csrPath, b64Path);
            char[] pushPassword = new Passwords("push key", pushPasswordFile, PUSH_ENV).choose(terminal);
            try (FileSet files = new FileSet()) {
                VendorIdentity vendor = VendorIdentity.unlock(dir, vendorCertificate, vendorPassword.passwords(),
                        terminal);
                KeyPair pair = KeyPairs.rsa(2048);
                byte[] csr = Csrs.create(pair, "CN=MDM Push,C=" + cc);
                byte[] request = vendor.signPushCsr(csr);
                files.stage(keyPath, ascii(Pem.encryptedPrivateKey(pair.getPrivate(), pushPassword)), true);
                files.stage(csrPath, csr, false);
                files.stage(b64Path, request, false);
                files.commit();
            } finally {
                Arrays.fill(pushPassword, '\0');
            }
            terminal.err().println("Wrote " + keyPath + ", " + csrPath + " and " + b64Path + ".");
            terminal.err().println("Next: upload " + b64Path + " to the Apple Push Certificates Portal (Renew an"
                    + " existing certificate to keep its topic, or Create a Certificate), then import the"
                    + " certificate with: mdm push-certs import|renew --certificate FILE --key " + keyPath);
            return 0;
        }
    }

    /** {@code sign_req CSR}: signs an externally produced CSR into {@code <CSR>.b64}. */
    @Command(name = "sign_req", mixinStandardHelpOptions = true,
            description = {"Sign an externally produced push CSR (DER or PEM) with vendor.key and vendor.crt;",
                    "writes the request to upload to the Apple Push Certificates Portal beside the CSR",
                    "(NAME.csr -> NAME.b64), or to --output."})
    static final class SignReq implements Callable<Integer> {
        private final Terminal terminal;
        @ParentCommand MdmCertsCommand parent;
        @Mixin VendorPasswordOption vendorPassword = new VendorPasswordOption();

        @Parameters(index = "0", paramLabel = "CSR", description = "The push certificate request (DER or PEM).")
        Path csrPath;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the signed request.")
        Path output;

        SignReq(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws CliException {
            Path dir = parent.workingDir();
            Path target = output != null ? output : defaultOutput(csrPath);
            byte[] csr = readCsr(csrPath);
            X509Certificate vendorCertificate = VendorIdentity.checkFiles(dir, parent.clock);
            FileSet.requireAbsent(target);
            VendorIdentity vendor = VendorIdentity.unlock(dir, vendorCertificate, vendorPassword.passwords(),
                    terminal);
            try (FileSet files = new FileSet()) {
                files.stage(target, vendor.signPushCsr(csr), false);
                files.commit();
            }
            terminal.err().println("Wrote " + target + ".");
            terminal.err().println("Next: upload it to the Apple Push Certificates Portal.");
            return 0;
        }

        static Path defaultOutput(Path csr) {
            String name = csr.getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            for (String ext : new String[] {".csr", ".der", ".pem", ".req"}) {
                if (lower.endsWith(ext) && name.length() > ext.length()) {
                    return csr.resolveSibling(name.substring(0, name.length() - ext.length()) + ".b64");
                }
            }
            return csr.resolveSibling(name + ".b64");
        }

        /** The DER of the CSR in {@code path}, after checking that it is a CSR with a valid self-signature. */
        private static byte[] readCsr(Path path) throws CliException {
            byte[] content;
            try {
                content = Files.readAllBytes(path);
            } catch (IOException e) {
                throw new CliException("cannot read the CSR " + path + ": " + e.getMessage(), e);
            }
            try {
                return Csrs.parse(content).getEncoded();
            } catch (CryptoException e) {
                throw new CliException(path + " is not a valid certificate signing request: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new CliException("cannot encode the CSR " + path + ": " + e.getMessage(), e);
            }
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void createDirectory(Path dir) throws CliException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliException("cannot create the working directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException ignored) {
            // leave it: an empty directory is harmless
        }
    }
}
