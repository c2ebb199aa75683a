package dev.orchardmdm.dep.ade;

import dev.orchardmdm.dep.AssignmentResult;

/**
 * The answer of {@code POST profile}.
 *
 * @param profileUuid the new profile's UUID
 * @param assignment  the outcome for the devices listed in the profile
 */
public record DefinedProfile(String profileUuid, AssignmentResult assignment) {
}
