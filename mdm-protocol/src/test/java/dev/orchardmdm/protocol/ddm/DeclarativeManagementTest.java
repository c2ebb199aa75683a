package dev.orchardmdm.protocol.ddm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.ProtocolException;
import dev.orchardmdm.protocol.schema.SchemaCatalog;
import dev.orchardmdm.protocol.schema.SchemaValidator;
import dev.orchardmdm.protocol.schema.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclarativeManagementTest {
    private static final SchemaValidator VALIDATOR = new SchemaValidator(SchemaCatalog.bundled());

    private static final String STATUS_REPORT = """
            {
              "StatusItems": {
                "device": {
                  "identifier": {"serial-number": "C02XYZ", "udid": "0000-UDID"},
                  "model": {"family": "Mac", "identifier": "Mac14,2", "marketing-name": "MacBook Air", "number": "Z15W"},
                  "operating-system": {"build-version": "23B74", "family": "macOS", "marketing-name": "macOS Sonoma",
                                        "version": "14.1"}
                },
                "management": {
                  "client-capabilities": {
                    "supported-versions": ["1.0.0"],
                    "supported-features": {},
                    "supported-payloads": {
                      "declarations": {"activations": ["com.apple.activation.simple"],
                                       "assets": [], "configurations": ["com.apple.configuration.passcode.settings"],
                                       "management": []},
                      "status-items": ["device.operating-system.version"]
                    }
                  },
                  "declarations": {
                    "activations": [{"active": true, "identifier": "org.example.act", "server-token": "t1",
                                     "valid": "valid"}],
                    "configurations": [{"active": false, "identifier": "org.example.passcode", "server-token": "t2",
                                        "valid": "invalid", "reasons": [{"code": "Error.ConfigurationCannotBeApplied",
                                        "description": "nope", "details": {"Error": "x"}}]}],
                    "assets": [],
                    "management": []
                  }
                },
                "app": {
                  "managed": {
                    "list": [{"identifier": "com.example.app", "state": "managed", "version": "2"},
                             {"identifier": "com.example.gone", "_removed": true}]
                  }
                }
              },
              "Errors": [{"StatusItem": "passcode.is-compliant",
                          "Reasons": [{"Code": "Error.NotSupported", "Description": "not here"}]}],
              "FullReport": false
            }
            """;

    @Test
    void statusReportFlattensNestedItemsAndKeepsRemovedEntries() throws Exception {
        StatusReport r = StatusReport.parse(STATUS_REPORT.getBytes(StandardCharsets.UTF_8));
        assertThat(r.fullReport()).isFalse();
        assertThat(r.osVersion()).contains("14.1");
        assertThat(r.buildVersion()).contains("23B74");
        assertThat(r.serialNumber()).contains("C02XYZ");
        assertThat(r.udid()).contains("0000-UDID");
        assertThat(r.items()).containsKeys("device.model.family", "management.client-capabilities",
                "management.declarations", "app.managed.list");
        assertThat(r.clientCapabilities().orElseThrow().requireDict("supported-payloads")
                .requireDict("declarations").stringArray("configurations"))
                .containsExactly("com.apple.configuration.passcode.settings");
        assertThat(r.declarations()).hasSize(2);
        StatusReport.DeclarationStatus passcode = r.declarations().get(1);
        assertThat(passcode.category()).isEqualTo(Declaration.Category.CONFIGURATION);
        assertThat(passcode.isValid()).isFalse();
        assertThat(passcode.active()).isFalse();
        assertThat(passcode.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.code()).isEqualTo("Error.ConfigurationCannotBeApplied");
            assertThat(reason.details().requireString("Error")).isEqualTo("x");
        });
        List<StatusReport.ArrayEntry> apps = r.arrayEntries("app.managed.list");
        assertThat(apps).extracting(StatusReport.ArrayEntry::removed).containsExactly(false, true);
        assertThat(apps.get(1).identifier()).contains("com.example.gone");
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.statusItem()).isEqualTo("passcode.is-compliant");
            assertThat(e.reasons().get(0).code()).isEqualTo("Error.NotSupported");
        });
        ValidationResult v = r.validate(VALIDATOR);
        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void statusReportValidationReportsBadItems() throws Exception {
        StatusReport r = StatusReport.parse(("{\"StatusItems\":{\"device\":{\"operating-system\":{\"version\":14}},"
                + "\"custom\":{\"thing\":1}},\"Errors\":[]}").getBytes(StandardCharsets.UTF_8));
        ValidationResult v = r.validate(VALIDATOR);
        assertThat(v.errors()).extracting(ValidationResult.Issue::path)
                .containsExactly("StatusItems.device.operating-system.version");
        assertThat(v.warnings()).extracting(ValidationResult.Issue::path).containsExactly("custom.thing");
    }

    @Test
    void hostileOrMalformedJsonIsRejected() {
        assertThatThrownBy(() -> StatusReport.parse("[1]".getBytes())).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> StatusReport.parse("{\"StatusItems\":{}".getBytes()))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> StatusReport.parse("{\"Errors\":[]}".getBytes()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("StatusItems");
        assertThatThrownBy(() -> StatusReport.parse("{\"a\":1,\"a\":2}".getBytes()))
                .isInstanceOf(InvalidMessageException.class);
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertThatThrownBy(() -> StatusReport.parse(deep.getBytes())).isInstanceOf(ProtocolException.class);
    }

    @Test
    void tokensResponse() throws Exception {
        SyncTokens t = new SyncTokens("abc123", Instant.parse("2024-03-04T05:06:07.89Z"));
        String json = new String(t.toJson(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo(
                "{\"SyncTokens\":{\"DeclarationsToken\":\"abc123\",\"Timestamp\":\"2024-03-04T05:06:07Z\"}}");
        assertThat(SyncTokens.parse(t.toJson())).isEqualTo(t);
        assertThat(VALIDATOR.validateDocument(SchemaCatalog.bundled().ddmProtocol("TokensResponse").orElseThrow(),
                t.toDict()).isValid()).isTrue();
    }

    @Test
    void declarationsAndManifest() throws Exception {
        Declaration passcode = Declaration.of("com.apple.configuration.passcode.settings", "org.example.passcode",
                PlistDict.of("RequirePasscode", true, "MinimumLength", 6));
        Declaration activation = Declaration.of("com.apple.activation.simple", "org.example.act",
                PlistDict.of("StandardConfigurations", List.of(passcode.identifier())));
        assertThat(VALIDATOR.validateDeclaration(passcode.toDict()).errors()).isEmpty();
        assertThat(VALIDATOR.validateDeclaration(activation.toDict()).errors()).isEmpty();
        assertThat(Declaration.parse(passcode.toJson())).isEqualTo(passcode);
        // the ServerToken follows the content
        assertThat(Declaration.of(passcode.type(), passcode.identifier(), PlistDict.of("MinimumLength", 6,
                "RequirePasscode", true)).serverToken()).isEqualTo(passcode.serverToken());
        assertThat(Declaration.of(passcode.type(), passcode.identifier(), PlistDict.of("MinimumLength", 8))
                .serverToken()).isNotEqualTo(passcode.serverToken());

        DeclarationItems items = DeclarationItems.of(List.of(passcode, activation));
        assertThat(items.activations()).containsExactly(activation.item());
        assertThat(items.configurations()).containsExactly(passcode.item());
        assertThat(items.assets()).isEmpty();
        assertThat(DeclarationItems.parse(items.toJson())).isEqualTo(items);
        assertThat(items.declarationsToken()).isEqualTo(DeclarationItems.of(List.of(activation, passcode))
                .declarationsToken());
        ValidationResult v = VALIDATOR.validateDocument(SchemaCatalog.bundled().ddmProtocol(
                "DeclarationItemsResponse").orElseThrow(), items.toDict());
        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void brokenDeclarationsAreReported() throws Exception {
        assertThat(VALIDATOR.validateDeclaration(PlistDict.of("Type", "com.apple.configuration.bogus",
                "Identifier", "i", "ServerToken", "t", "Payload", PlistDict.empty())).errors())
                .extracting(ValidationResult.Issue::path).containsExactly("Type");
        assertThat(VALIDATOR.validateDeclaration(Declaration.of("com.apple.configuration.passcode.settings", "i",
                PlistDict.of("MinimumLength", "six")).toDict()).errors())
                .extracting(ValidationResult.Issue::path).containsExactly("Payload.MinimumLength");
        assertThat(VALIDATOR.validateDeclaration(Declaration.of("com.apple.activation.simple", "i",
                PlistDict.empty()).toDict()).errors()).extracting(ValidationResult.Issue::path)
                .containsExactly("Payload.StandardConfigurations");
        assertThatThrownBy(() -> Declaration.parse(("{\"Type\":\"x.y\",\"Identifier\":\"i\",\"ServerToken\":\"t\","
                + "\"Payload\":{}}").getBytes())).isInstanceOf(InvalidMessageException.class);
    }
}
