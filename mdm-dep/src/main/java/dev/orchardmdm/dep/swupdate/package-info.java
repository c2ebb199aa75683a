/**
 * Apple's software-update catalog: {@link dev.orchardmdm.dep.swupdate.SoftwareUpdateCatalogClient} and the
 * typed {@link dev.orchardmdm.dep.swupdate.SoftwareUpdateCatalog}.
 */
package dev.orchardmdm.dep.swupdate;
