package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.Fixtures;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AppleServicesRepositoryTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void blueprintsAndTheirConfigurations(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        BlueprintRepository repo = store.blueprints();
        FileVaultConfig fv = repo.createFileVaultConfig(new FileVaultConfig.Spec(unique("fv"), "Orchard", false, 0, true,
                false, 90, 30));
        assertThat(fv.prkRotationIntervalDays()).isEqualTo(90);
        assertThatThrownBy(() -> new FileVaultConfig.Spec("x", "y", false, -2, false, false, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        RecoveryPasswordConfig rp = repo.createRecoveryPasswordConfig(new RecoveryPasswordConfig.Spec(unique("rp"), false,
                "correct-horse", 0, 0, false));
        assertThat(rp.hasStaticPassword()).isTrue();
        assertThat(repo.staticPassword(rp.id())).hasValue("correct-horse");
        assertThat(new RecoveryPasswordConfig.Spec("n", false, "correct-horse", 0, 0, false).toString()).doesNotContain("horse");
        RecoveryPasswordConfig dynamic = repo.updateRecoveryPasswordConfig(rp.id(),
                new RecoveryPasswordConfig.Spec(rp.name(), true, null, 30, 60, true));
        assertThat(dynamic.hasStaticPassword()).isFalse();
        assertThat(repo.staticPassword(rp.id())).isEmpty();

        String name = unique("bp");
        Blueprint bp = repo.createBlueprint(new Blueprint.Spec(name, 86400, "MANAGED_ONLY", "NO", "ALL", true, fv.id(), rp.id(), null));
        assertThat(bp.filevaultConfigId()).isEqualTo(fv.id());
        assertThat(repo.listBlueprints(name)).extracting(Blueprint::id).containsExactly(bp.id());
        assertThatThrownBy(() -> repo.createBlueprint(Blueprint.Spec.named(name))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> repo.deleteFileVaultConfig(fv.id())).isInstanceOf(InvalidStateException.class);
        assertThatThrownBy(() -> new Blueprint.Spec("x", 60, "NO", "NO", "NO", true, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);

        EnrolledDevice d = Fixtures.device(store);
        store.devices().setBlueprint(d.id(), bp.id());
        assertThat(store.devices().findById(d.id()).orElseThrow().blueprintId()).isEqualTo(bp.id());
        repo.updateBlueprint(bp.id(), new Blueprint.Spec(name, 86400, "NO", "NO", "NO", false, null, null, null));
        repo.deleteFileVaultConfig(fv.id());
        repo.deleteBlueprint(bp.id());
        assertThat(store.devices().findById(d.id()).orElseThrow().blueprintId()).isNull();
        assertThatThrownBy(() -> repo.deleteBlueprint(bp.id())).isInstanceOf(NotFoundException.class);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void depTokensServersDevicesAndProfiles(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        DepRepository dep = store.dep();
        DepToken token = dep.createToken("-----BEGIN CERTIFICATE-----", "KEY".getBytes(StandardCharsets.UTF_8));
        assertThat(dep.tokenPrivateKey(token.id())).isEqualTo("KEY".getBytes(StandardCharsets.UTF_8));
        assertThat(dep.tokenCredentials(token.id())).isEmpty();
        Instant expiry = Instant.parse("2027-01-01T00:00:00Z");
        dep.setTokenCredentials(token.id(), new DepToken.Credentials("CK_1", "CS_secret", "AT_1", "AS_secret", expiry));
        DepToken.Credentials creds = dep.tokenCredentials(token.id()).orElseThrow();
        assertThat(creds.consumerSecret()).isEqualTo("CS_secret");
        assertThat(creds.accessSecret()).isEqualTo("AS_secret");
        assertThat(creds.toString()).doesNotContain("CS_secret").doesNotContain("AS_secret");
        dep.updateSyncCursor(token.id(), "cursor-1");
        assertThat(dep.findToken(token.id()).orElseThrow().syncCursor()).isEqualTo("cursor-1");

        UUID serverUuid = UUID.randomUUID();
        DepVirtualServer vs = dep.upsertVirtualServer(new DepVirtualServer.Spec("ABM", serverUuid, token.id(), "Org", "it@example.com",
                null, null, "org", "v2"));
        DepVirtualServer renamed = dep.upsertVirtualServer(new DepVirtualServer.Spec("ABM 2", serverUuid, token.id(), "Org",
                "it@example.com", null, null, "org", "v2"));
        assertThat(renamed.id()).isEqualTo(vs.id());
        assertThat(dep.listVirtualServers("ABM 2")).extracting(DepVirtualServer::uuid).containsExactly(serverUuid);

        PushCertificate cert = Fixtures.pushCertificate(store);
        Enrollment enrollment = store.enrollments().create(EnrollmentSpec.of(EnrollmentType.DEP, unique("dep"), cert.id()));
        dep.setDefaultEnrollment(vs.id(), enrollment.id());
        DepProfile profile = dep.saveProfile(enrollment.id(), vs.id(), "{\"profile_name\":\"Orchard\",\"is_supervised\":true}");
        assertThat(profile.profileUuid()).isNull();
        assertThat(dep.profileDefined(enrollment.id(), "ABCD").profileUuid()).isEqualTo("ABCD");

        String serial = unique("SN");
        DepDevice.Sync added = new DepDevice.Sync(serial, null, "SPACE GRAY", "MBP", "Mac", "MacBook Pro", "OSX", "admin@example.com",
                Instant.parse("2025-06-01T00:00:00Z"), "added", Instant.parse("2025-06-01T00:00:00Z"), "empty", null, null, null);
        DepDevice device = dep.upsertDevice(vs.id(), added);
        assertThat(device.disownedAt()).isNull();
        DepDevice assigned = dep.assignProfile(device.id(), enrollment.id(), "ABCD", "assigned");
        assertThat(assigned.enrollmentId()).isEqualTo(enrollment.id());
        DepDevice deleted = dep.upsertDevice(vs.id(), new DepDevice.Sync(serial, null, null, null, "Mac", null, null, null, null,
                "deleted", Instant.parse("2025-07-01T00:00:00Z"), "removed", null, null, null));
        assertThat(deleted.id()).isEqualTo(device.id());
        assertThat(deleted.disownedAt()).isNotNull();
        assertThat(deleted.enrollmentId()).isEqualTo(enrollment.id());
        assertThat(dep.listDevices(new DepDevice.Query(vs.id(), null, "Mac", "removed", null, null, 10, 0)))
                .extracting(DepDevice::serialNumber).containsExactly(serial);
        assertThat(dep.listDevices(new DepDevice.Query(vs.id(), null, "iPhone", null, null, null, 10, 0))).isEmpty();
        assertThatThrownBy(() -> dep.saveProfile(enrollment.id(), vs.id(), "not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void appsAndBooksAndSoftwareUpdates(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        AppsBooksRepository vpp = store.appsBooks();
        UUID mdmInfoId = UUID.randomUUID();
        Location location = vpp.createLocation(new Location.Spec("Location name", "Organization name", "DE",
                UUID.randomUUID().toString(), "enterprisestore", "", mdmInfoId, Instant.parse("2050-01-01T00:00:00Z")),
                unique("sToken"), "ztl_mdm_nat_secret");
        String token = vpp.serverToken(location.id());
        assertThat(token).startsWith("sToken-");
        assertThat(vpp.checkNotificationToken(mdmInfoId, "ztl_mdm_nat_secret")).isTrue();
        assertThat(vpp.checkNotificationToken(mdmInfoId, "ztl_mdm_nat_other")).isFalse();
        assertThat(vpp.listLocations(null, "Organization name", mdmInfoId)).extracting(Location::id).containsExactly(location.id());
        assertThatThrownBy(() -> vpp.createLocation(new Location.Spec("dup", "o", null, null, null, null, UUID.randomUUID(), null),
                token, null)).isInstanceOf(ConflictException.class);
        vpp.updateServerToken(location.id(), "renewed-" + token, Instant.parse("2051-01-01T00:00:00Z"));
        assertThat(vpp.serverToken(location.id())).isEqualTo("renewed-" + token);

        String adamId = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000L);
        Asset asset = vpp.upsertAsset(new Asset.Spec(adamId, "STDQ", "App", true, true, List.of("iOS", "macOS"),
                "{\"kind\":\"software\"}", "Numbers", "com.apple.Numbers"));
        Asset again = vpp.upsertAsset(new Asset.Spec(adamId, "STDQ", "App", true, false, List.of("macOS"), null, "Numbers 2", null));
        assertThat(again.id()).isEqualTo(asset.id());
        assertThat(again.supportedPlatforms()).containsExactly("macOS");
        assertThat(again.revocable()).isFalse();
        LocationAsset la = vpp.upsertLocationAsset(location.id(), asset.id(), 1, 9, 0, 10);
        assertThat(vpp.upsertLocationAsset(location.id(), asset.id(), 2, 8, 0, 10).assignedCount()).isEqualTo(2);
        assertThat(vpp.listLocationAssets(location.id(), adamId, "STDQ")).extracting(LocationAsset::id).containsExactly(la.id());
        assertThat(vpp.listLocationAssets(null, adamId, "PLUS")).isEmpty();
        assertThat(vpp.assign(la.id(), "SN1")).isTrue();
        assertThat(vpp.assign(la.id(), "SN1")).isFalse();
        assertThat(vpp.assign(la.id(), "SN2")).isTrue();
        assertThat(vpp.unassign(la.id(), "SN2")).isTrue();
        assertThat(vpp.assignedSerialNumbers(la.id())).containsExactly("SN1");

        SoftwareUpdateRepository su = store.softwareUpdates();
        SoftwareUpdate.Spec sonoma = new SoftwareUpdate.Spec("macOS", 14, 2, 1, null, "23C71", null, true, null, null, List.of("Mac14,2", "J413AP"));
        SoftwareUpdate.Spec rsr = new SoftwareUpdate.Spec("macOS", 14, 2, 1, "(a)", "23C71a", "23C71", true, null, null, List.of("Mac14,2"));
        assertThat(su.sync(List.of(sonoma, rsr))).isEqualTo(new SoftwareUpdate.SyncResult(2, 0, 0));
        assertThat(su.forDeviceId("J413AP")).extracting(SoftwareUpdate::build).containsExactly("23C71");
        SoftwareUpdate.Spec ios = new SoftwareUpdate.Spec("iOS", 17, 2, 0, null, "21C62", null, true,
                Instant.parse("2024-01-01T00:00:00Z"), null, List.of("iPhone15,2"));
        SoftwareUpdate.Spec sonomaNow = new SoftwareUpdate.Spec("macOS", 14, 2, 1, null, "23C71", null, true, null, null, List.of("Mac14,2"));
        assertThat(su.sync(List.of(sonomaNow, ios))).isEqualTo(new SoftwareUpdate.SyncResult(1, 1, 1));
        assertThat(su.forDeviceId("J413AP")).isEmpty();
        assertThat(su.list("macOS")).singleElement().satisfies(u -> assertThat(u.publicRelease()).isTrue());
        assertThat(su.deviceIds(su.list("iOS").get(0).id())).containsExactly("iPhone15,2");
    }
}
