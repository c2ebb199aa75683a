package dev.orchardmdm.dep.vpp;

import dev.orchardmdm.dep.AbmException;
import java.util.Optional;

/**
 * The {@code errorNumber} values of Apple's Apps and Books service, with what a client should do about each.
 * {@link #of(AbmException)} reads the number back from an exception raised by {@link AppsBooksClient}.
 */
public enum AppsBooksError {
    MISSING_ARGUMENT(9600, Kind.REQUEST, "Missing required argument"),
    LOGIN_REQUIRED(9601, Kind.TOKEN, "Login required"),
    INVALID_ARGUMENT(9602, Kind.REQUEST, "Invalid argument"),
    INTERNAL_ERROR(9603, Kind.SERVICE, "Internal error"),
    RESULT_NOT_FOUND(9604, Kind.REQUEST, "Result not found"),
    ACCOUNT_STOREFRONT_INCORRECT(9605, Kind.REQUEST, "Account storefront incorrect"),
    ERROR_CONSTRUCTING_TOKEN(9606, Kind.SERVICE, "Error constructing token"),
    LICENSE_IRREVOCABLE(9607, Kind.LICENSE, "License is irrevocable"),
    EMPTY_RESPONSE_FROM_SHARED_DATA(9608, Kind.SERVICE, "Empty response from SharedData service"),
    REGISTERED_USER_NOT_FOUND(9609, Kind.REQUEST, "Registered user not found"),
    LICENSE_NOT_FOUND(9610, Kind.LICENSE, "License not found"),
    ADMIN_USER_NOT_FOUND(9611, Kind.REQUEST, "Admin user not found"),
    FAILED_TO_CREATE_CLAIM_JOB(9612, Kind.SERVICE, "Failed to create claim job"),
    FAILED_TO_CREATE_UNCLAIM_JOB(9613, Kind.SERVICE, "Failed to create unclaim job"),
    INVALID_DATE_FORMAT(9614, Kind.REQUEST, "Invalid date format"),
    ORG_COUNTRY_NOT_FOUND(9615, Kind.REQUEST, "OrgCountry not found"),
    LICENSE_ALREADY_ASSIGNED(9616, Kind.LICENSE, "License already assigned"),
    USER_ALREADY_RETIRED(9618, Kind.REQUEST, "The user has already been retired"),
    LICENSE_NOT_ASSOCIATED(9619, Kind.LICENSE, "License not associated"),
    USER_ALREADY_DELETED(9620, Kind.REQUEST, "The user has already been deleted"),
    TOKEN_EXPIRED(9621, Kind.TOKEN, "The token has expired"),
    INVALID_AUTHENTICATION_TOKEN(9622, Kind.TOKEN, "Invalid authentication token"),
    INVALID_PUSH_TOKEN(9623, Kind.REQUEST, "Invalid Apple push notification token"),
    LICENSE_REFUNDED(9624, Kind.LICENSE, "License was refunded and is no longer valid"),
    TOKEN_REVOKED(9625, Kind.TOKEN, "The sToken has been revoked"),
    LICENSE_ASSIGNED_TO_OTHER_USER(9626, Kind.LICENSE, "License already assigned to a different user"),
    INELIGIBLE_DEVICE_ASSIGNMENT(9628, Kind.LICENSE, "Device assignment is not allowed for that item"),
    TOO_MANY_ALREADY_ASSIGNED_ERRORS(9630, Kind.SERVICE, "Too many recent already-assigned errors");

    /** What an error means for the caller. */
    public enum Kind {
        /** The token is invalid, expired or revoked: the location needs a new token. */
        TOKEN,
        /** The request was wrong; retrying it unchanged will fail again. */
        REQUEST,
        /** A licensing state conflict for this asset / device. */
        LICENSE,
        /** A fault or throttling on Apple's side: retry later. */
        SERVICE
    }

    private final int number;
    private final Kind kind;
    private final String message;

    AppsBooksError(int number, Kind kind, String message) {
        this.number = number;
        this.kind = kind;
        this.message = message;
    }

    public int number() {
        return number;
    }

    public Kind kind() {
        return kind;
    }

    public String message() {
        return message;
    }

    /** The error with this number, if Apple documents it. */
    public static Optional<AppsBooksError> of(int number) {
        for (AppsBooksError e : values()) {
            if (e.number == number) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The error an {@link AppsBooksClient} exception carries, if any. */
    public static Optional<AppsBooksError> of(AbmException exception) {
        return exception.errorCode().flatMap(code -> {
            try {
                return of(Integer.parseInt(code));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
