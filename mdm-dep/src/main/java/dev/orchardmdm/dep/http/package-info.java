/**
 * HTTP and JSON plumbing shared by the clients of this module (bounded bodies, Retry-After handling, strict field
 * access). Public only because Java packages require it: not part of the module's supported API.
 */
package dev.orchardmdm.dep.http;
