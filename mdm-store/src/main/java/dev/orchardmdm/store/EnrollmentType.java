package dev.orchardmdm.store;

/** How devices come to an enrollment. */
public enum EnrollmentType {
    /** Over-the-air profile enrollment. */
    OTA,
    /** Automated Device Enrollment (ADE, formerly DEP). */
    DEP,
    /** (Account-driven) User Enrollment, BYOD. */
    USER
}
