package dev.orchardmdm.protocol.schema;

import java.util.List;

/**
 * The outcome of a schema validation: errors make the document invalid, warnings (unknown keys, values the schema
 * does not list for open enumerations, keys ignored on a platform) do not.
 */
public record ValidationResult(List<Issue> errors, List<Issue> warnings) {

    /** One finding, at a path such as {@code Command.Settings[0].Item}. */
    public record Issue(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    public ValidationResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** True when there is no error. */
    public boolean isValid() {
        return errors.isEmpty();
    }
}
