/** Apple's Apps and Books for Organizations service, v2: {@link dev.orchardmdm.dep.vpp.AppsBooksClient}. */
package dev.orchardmdm.dep.vpp;
