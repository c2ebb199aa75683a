/** Apple's legacy ADE (DEP) API with an OAuth 1 server token: {@link dev.orchardmdm.dep.ade.AdeClient}. */
package dev.orchardmdm.dep.ade;
