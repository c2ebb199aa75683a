/**
 * Apple Business / School Manager clients: what they share. {@link dev.orchardmdm.dep.DeviceSource} is the contract
 * the server's sync code uses whatever the credential; {@link dev.orchardmdm.dep.AbmException} is the closed
 * hierarchy of failures; {@link dev.orchardmdm.dep.RetryPolicy} says how "slow down" answers are retried.
 * The clients live in {@code ade} (ADE / DEP, OAuth 1), {@code abmapi} (Apple School and Business Manager API,
 * OAuth 2), {@code vpp} (Apps and Books v2) and {@code swupdate} (software-update catalog).
 */
package dev.orchardmdm.dep;
