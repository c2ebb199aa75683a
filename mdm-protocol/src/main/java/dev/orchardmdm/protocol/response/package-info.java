/**
 * Typed views of the command responses a server consumes. Each view is decoded from a
 * {@link dev.orchardmdm.protocol.CommandReport} (its raw dictionary) with {@code from(report)}; keys a view does not
 * model stay available in the raw dictionary it keeps.
 */
package dev.orchardmdm.protocol.response;
