package dev.orchardmdm.protocol;

import java.util.Optional;

/** One entry of a command report's {@code ErrorChain}. */
public record ErrorChainItem(Optional<Long> errorCode, Optional<String> errorDomain,
                             Optional<String> localizedDescription, Optional<String> usEnglishDescription) {

    /** Decodes one ErrorChain dictionary. */
    public static ErrorChainItem from(PlistDict d) throws InvalidMessageException {
        return new ErrorChainItem(d.integer("ErrorCode"), d.string("ErrorDomain"), d.string("LocalizedDescription"),
                d.string("USEnglishDescription"));
    }

    /** The dictionary form. */
    public PlistDict toDict() {
        return PlistDict.builder().putOptional("ErrorCode", errorCode).putOptional("ErrorDomain", errorDomain)
                .putOptional("LocalizedDescription", localizedDescription)
                .putOptional("USEnglishDescription", usEnglishDescription).build();
    }
}
