package dev.orchardmdm.dep.ade;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * An ADE enrollment profile ({@code POST profile}, {@code GET profile}). Unset values are left out of the JSON, so
 * that Apple's defaults apply. Apple's {@code GET profile} answers {@code supervised}, {@code multi_user},
 * {@code mandatory} and {@code mdm_removable} without the {@code is_} prefix of the definition: both are read.
 *
 * @param profileName          {@code profile_name} (required)
 * @param url                  {@code url}: the MDM enrollment URL the device fetches (required)
 * @param configurationWebUrl  {@code configuration_web_url}: web authentication before enrollment
 * @param allowPairing         {@code allow_pairing}
 * @param isSupervised         {@code is_supervised}
 * @param isMultiUser          {@code is_multi_user}
 * @param isMandatory          {@code is_mandatory}
 * @param awaitDeviceConfigured {@code await_device_configured}
 * @param isMdmRemovable       {@code is_mdm_removable}
 * @param autoAdvanceSetup     {@code auto_advance_setup}
 * @param supportPhoneNumber   {@code support_phone_number}
 * @param supportEmailAddress  {@code support_email_address}
 * @param orgMagic             {@code org_magic}
 * @param department           {@code department}
 * @param language             {@code language}
 * @param region               {@code region}
 * @param anchorCerts          {@code anchor_certs}: base64 DER certificates the device trusts for {@code url}
 * @param supervisingHostCerts {@code supervising_host_certs}
 * @param skipSetupItems       {@code skip_setup_items}
 * @param devices              {@code devices}: serial numbers to assign the profile to when defining it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdeProfile(
        @JsonProperty("profile_name") String profileName,
        @JsonProperty("url") String url,
        @JsonProperty("configuration_web_url") String configurationWebUrl,
        @JsonProperty("allow_pairing") Boolean allowPairing,
        @JsonProperty("is_supervised") @JsonAlias("supervised") Boolean isSupervised,
        @JsonProperty("is_multi_user") @JsonAlias("multi_user") Boolean isMultiUser,
        @JsonProperty("is_mandatory") @JsonAlias("mandatory") Boolean isMandatory,
        @JsonProperty("await_device_configured") Boolean awaitDeviceConfigured,
        @JsonProperty("is_mdm_removable") @JsonAlias("mdm_removable") Boolean isMdmRemovable,
        @JsonProperty("auto_advance_setup") Boolean autoAdvanceSetup,
        @JsonProperty("support_phone_number") String supportPhoneNumber,
        @JsonProperty("support_email_address") String supportEmailAddress,
        @JsonProperty("org_magic") String orgMagic,
        @JsonProperty("department") String department,
        @JsonProperty("language") String language,
        @JsonProperty("region") String region,
        @JsonProperty("anchor_certs") List<String> anchorCerts,
        @JsonProperty("supervising_host_certs") List<String> supervisingHostCerts,
        @JsonProperty("skip_setup_items") List<String> skipSetupItems,
        @JsonProperty("devices") List<String> devices) {

    private static final ObjectReader READER = new ObjectMapper().reader();

    public AdeProfile {
        anchorCerts = anchorCerts == null ? null : List.copyOf(anchorCerts);
        supervisingHostCerts = supervisingHostCerts == null ? null : List.copyOf(supervisingHostCerts);
        skipSetupItems = skipSetupItems == null ? null : List.copyOf(skipSetupItems);
        devices = devices == null ? null : List.copyOf(devices);
    }

    /** Parses the JSON text of a profile ({@code GET profile} answer, or one saved), without an HTTP exchange. */
    public static AdeProfile parse(String json) throws AbmResponseException {
        return fromJson(Json.parseObject(json, "ADE profile"));
    }

    static AdeProfile fromJson(JsonNode node) throws AbmResponseException {
        AdeProfile profile;
        try {
            profile = READER.treeToValue(node, AdeProfile.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new AbmResponseException("ADE profile: unexpected field types", 200, e);
        }
        if (profile.profileName() == null || profile.url() == null) {
            throw new AbmResponseException("ADE profile: profile_name or url missing", 200);
        }
        return profile;
    }

    /** A builder for a profile with the two required values. */
    public static Builder builder(String profileName, String url) {
        return new Builder(profileName, url);
    }

    /** This profile with another device list (used to split a definition in batches). */
    public AdeProfile withDevices(List<String> serialNumbers) {
        return new AdeProfile(profileName, url, configurationWebUrl, allowPairing, isSupervised, isMultiUser,
                isMandatory, awaitDeviceConfigured, isMdmRemovable, autoAdvanceSetup, supportPhoneNumber,
                supportEmailAddress, orgMagic, department, language, region, anchorCerts, supervisingHostCerts,
                skipSetupItems, serialNumbers);
    }

    /** Builds an {@link AdeProfile}; every setter is optional. */
    public static final class Builder {
        private final String profileName;
        private final String url;
        private String configurationWebUrl;
        private Boolean allowPairing;
        private Boolean isSupervised;
        private Boolean isMultiUser;
        private Boolean isMandatory;
        private Boolean awaitDeviceConfigured;
        private Boolean isMdmRemovable;
        private Boolean autoAdvanceSetup;
        private String supportPhoneNumber;
        private String supportEmailAddress;
        private String orgMagic;
        private String department;
        private String language;
        private String region;
        private List<String> anchorCerts;
        private List<String> supervisingHostCerts;
        private List<String> skipSetupItems;
        private List<String> devices;

        private Builder(String profileName, String url) {
            this.profileName = Objects.requireNonNull(profileName, "profileName");
            this.url = Objects.requireNonNull(url, "url");
        }

        public Builder configurationWebUrl(String v) { configurationWebUrl = v; return this; }
        public Builder allowPairing(boolean v) { allowPairing = v; return this; }
        public Builder supervised(boolean v) { isSupervised = v; return this; }
        public Builder multiUser(boolean v) { isMultiUser = v; return this; }
        public Builder mandatory(boolean v) { isMandatory = v; return this; }
        public Builder awaitDeviceConfigured(boolean v) { awaitDeviceConfigured = v; return this; }
        public Builder mdmRemovable(boolean v) { isMdmRemovable = v; return this; }
        public Builder autoAdvanceSetup(boolean v) { autoAdvanceSetup = v; return this; }
        public Builder supportPhoneNumber(String v) { supportPhoneNumber = v; return this; }
        public Builder supportEmailAddress(String v) { supportEmailAddress = v; return this; }
        public Builder orgMagic(String v) { orgMagic = v; return this; }
        public Builder department(String v) { department = v; return this; }
        public Builder language(String v) { language = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder anchorCerts(List<String> v) { anchorCerts = v; return this; }
        public Builder supervisingHostCerts(List<String> v) { supervisingHostCerts = v; return this; }
        public Builder skipSetupItems(List<String> v) { skipSetupItems = v; return this; }
        public Builder devices(List<String> v) { devices = v; return this; }

        public AdeProfile build() {
            return new AdeProfile(profileName, url, configurationWebUrl, allowPairing, isSupervised, isMultiUser,
                    isMandatory, awaitDeviceConfigured, isMdmRemovable, autoAdvanceSetup, supportPhoneNumber,
                    supportEmailAddress, orgMagic, department, language, region, anchorCerts, supervisingHostCerts,
                    skipSetupItems, devices);
        }
    }
}
