package dev.orchardmdm.dep.swupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.support.Fixtures;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses the catalog answer Zentral captured from gdmf.apple.com. */
class SoftwareUpdateCatalogTest {

    private static SoftwareUpdateCatalog fixture() throws AbmResponseException {
        return SoftwareUpdateCatalog.parse(Fixtures.bytes("software_lookup_service_response.json"));
    }

    @Test
    void parsesEveryChannelAndPlatform() throws Exception {
        SoftwareUpdateCatalog catalog = fixture();
        assertThat(catalog.releases()).hasSize(12);
        assertThat(catalog.channel(ReleaseChannel.PUBLIC)).hasSize(3).allMatch(r -> r.platform().equals("iOS"));
        assertThat(catalog.channel(ReleaseChannel.MDM)).hasSize(8);
        List<SoftwareRelease> bsi = catalog.channel(ReleaseChannel.BACKGROUND_SECURITY);
        assertThat(bsi).containsExactly(new SoftwareRelease(ReleaseChannel.BACKGROUND_SECURITY, "macOS", "13.3.1",
                13, 3, 1, "(a)", "22E772610a", "22E261", LocalDate.parse("2023-05-01"), LocalDate.parse("2023-07-31"),
                List.of("J413AP")));
        SoftwareRelease open = catalog.channel(ReleaseChannel.PUBLIC).get(0);
        assertThat(open.productVersion()).isEqualTo("16.2");
        assertThat(open.patch()).isZero();
        assertThat(open.expirationDate()).isNull();
        assertThat(open.isAvailableOn(LocalDate.parse("2030-01-01"))).isTrue();
        assertThat(open.isAvailableOn(LocalDate.parse("2023-01-10"))).isFalse();
        assertThat(open.supportedDevices()).containsExactly("iPad13,18", "iPad13,19");
    }

    @Test
    void selectsTheUpdatesAnMdmCanOfferADevice() throws Exception {
        SoftwareUpdateCatalog catalog = fixture();
        assertThat(catalog.updatesFor("J413AP", "22C65", LocalDate.parse("2023-01-15")))
                .extracting(SoftwareRelease::build).containsExactly("22C65", "22A400", "21G320");
        // after expiry only the background security release for the right build remains
        assertThat(catalog.updatesFor("J413AP", "22E261", LocalDate.parse("2023-05-02")))
                .extracting(SoftwareRelease::productVersion, SoftwareRelease::productVersionExtra)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("13.3.1", "(a)"));
        assertThat(catalog.updatesFor("J413AP", "22E252", LocalDate.parse("2023-05-02"))).isEmpty();
        // the expiration day itself is excluded
        assertThat(catalog.updatesFor("AppleTV14,1", "x", LocalDate.parse("2023-03-12"))).hasSize(1);
        assertThat(catalog.updatesFor("AppleTV14,1", "x", LocalDate.parse("2023-03-13"))).isEmpty();
    }

    @Test
    void hostileCatalogsAreRefused() {
        assertThatThrownBy(() -> SoftwareUpdateCatalog.parse("{".getBytes())).isInstanceOf(AbmResponseException.class);
        assertThatThrownBy(() -> SoftwareUpdateCatalog.parse("[]".getBytes())).isInstanceOf(AbmResponseException.class);
        assertThatThrownBy(() -> SoftwareUpdateCatalog.parse("{\"AssetSets\": []}".getBytes()))
                .isInstanceOf(AbmResponseException.class);
        assertThatThrownBy(() -> SoftwareUpdateCatalog.parse(("{\"AssetSets\": {\"iOS\": [{\"ProductVersion\": "
                + "\"sixteen\", \"Build\": \"1\", \"PostingDate\": \"2023-01-01\"}]}}").getBytes()))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("ProductVersion");
        assertThatThrownBy(() -> SoftwareUpdateCatalog.parse(("{\"AssetSets\": {\"iOS\": [{\"ProductVersion\": "
                + "\"16.0\", \"PostingDate\": \"2023-01-01\"}]}}").getBytes()))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("Build");
        assertThatThrownBy(() -> SoftwareUpdateCatalog.parse(("{\"AssetSets\": {\"iOS\": [{\"ProductVersion\": "
                + "\"16.0\", \"Build\": \"1\", \"PostingDate\": \"yesterday\"}]}}").getBytes()))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("PostingDate");
    }
}
