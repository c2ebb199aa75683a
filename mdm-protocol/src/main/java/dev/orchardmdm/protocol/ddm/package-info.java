/**
 * Declarative device management JSON: the tokens response ({@link dev.orchardmdm.protocol.ddm.SyncTokens}), the
 * declaration-items response ({@link dev.orchardmdm.protocol.ddm.DeclarationItems}), the declaration envelope
 * ({@link dev.orchardmdm.protocol.ddm.Declaration}) and status reports
 * ({@link dev.orchardmdm.protocol.ddm.StatusReport}).
 */
package dev.orchardmdm.protocol.ddm;
