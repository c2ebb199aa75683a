package dev.orchardmdm.server.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one list of permissions an API token can carry, named as Zentral names them:
 * {@code mdm.<action>_<model>} for the view/add/change/delete of each MDM model of the admin API,
 * the custom permissions that reveal escrowed secrets or disown ADE devices, and
 * {@code audit.view_auditevent} for the audit trail. The CLI grants these; every permission an
 * admin route checks is one of them.
 */
public final class Permissions {
    /** Models of the admin API, by their Zentral (Django) codename. */
    public static final List<String> MODELS = List.of(
            "acmeissuer", "artifact", "artifactversion", "asset", "blueprint", "blueprintartifact", "certasset",
            "dataasset", "declaration", "depdevice", "depenrollment", "depenrollmentcustomview",
            "depenrollmentsession", "deporganization", "deptoken", "depvirtualserver", "deviceassignment",
            "devicecommand", "enrolleddevice", "enrolleduser", "enrollmentcustomview", "enterpriseapp",
            "filevaultconfig", "location", "locationasset", "otaenrollment", "otaenrollmentsession", "package",
            "profile", "provisioningprofile", "pushcertificate", "realmgrouptagmapping", "recoverypasswordconfig",
            "reenrollmentsession", "scepissuer", "softwareupdate", "softwareupdateenforcement", "storeapp",
            "usercommand", "userenrollment", "userenrollmentsession");

    /** Custom permissions: secret reveals, ADE disown, and reading the audit trail. */
    public static final List<String> CUSTOM = List.of(
            "mdm.view_admin_password", "mdm.view_filevault_prk", "mdm.view_recovery_password",
            "mdm.view_device_lock_pin", "mdm.view_command_result_secrets", "mdm.disown_depdevice",
            "audit.view_auditevent");

    private static final Set<String> ALL = build();

    private Permissions() {
    }

    private static Set<String> build() {
        List<String> all = new ArrayList<>(CUSTOM);
        for (String model : MODELS) {
            for (String action : List.of("view", "add", "change", "delete")) {
                all.add("mdm." + action + "_" + model);
            }
        }
        return Collections.unmodifiableSet(new TreeSet<>(all));
    }

    /** Every permission, sorted (an unmodifiable set). */
    public static Set<String> all() {
        return ALL;
    }

    /** Whether {@code permission} is one of {@link #all()}. */
    public static boolean isKnown(String permission) {
        return ALL.contains(permission);
    }
}
