/**
 * Apple's device-management schema (the MIT-licensed YAML of {@code apple/device-management}, bundled as a resource
 * with its licence) and a validator for commands, check-in messages, profiles and declarative-management documents.
 * Start with {@link dev.orchardmdm.protocol.schema.SchemaCatalog#bundled()} and
 * {@link dev.orchardmdm.protocol.schema.SchemaValidator}.
 */
package dev.orchardmdm.protocol.schema;
