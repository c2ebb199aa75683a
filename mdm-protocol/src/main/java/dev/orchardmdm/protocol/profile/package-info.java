/**
 * Configuration profiles ({@code .mobileconfig}): the top-level Configuration document and the payloads enrollment
 * needs ({@code com.apple.mdm}, SCEP, ACME, root certificate), and the OTA Profile Service document. Builders return
 * unsigned plist bytes; signing is mdm-crypto's job.
 */
package dev.orchardmdm.protocol.profile;
