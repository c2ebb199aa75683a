package dev.orchardmdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MdmTest {
    @Test
    void helpListsTheCommands() {
        CliRun r = CliRun.run("", "--help");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("generate-completion").contains("mdmcerts").contains("tokens")
                .contains("push-certs").contains("migrate");
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRun r = CliRun.run("", "bogus");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument").contains("bogus");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void generatesABashCompletionScriptForTheWholeTree() {
        CliRun r = CliRun.run("", "generate-completion");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F")
                .contains("mdmcerts").contains("sign_req").contains("push-certs").contains("--all-permissions");
    }
}
