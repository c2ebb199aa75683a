/**
 * Client of the Apple School and Business Manager API (OAuth 2): {@link dev.orchardmdm.dep.abmapi.AbmApiClient}
 * with an API account's {@link dev.orchardmdm.dep.abmapi.AbmApiCredentials}; it implements
 * {@link dev.orchardmdm.dep.DeviceSource} beside the legacy ADE client.
 */
package dev.orchardmdm.dep.abmapi;
