-- Orchard core schema: what the device endpoints and the admin API need first.
-- Runs on SQLite and PostgreSQL; ${pk} and ${blob} come from dev.orchardmdm.store.Dialect.
-- Timestamps are BIGINT epoch milliseconds (UTC). Columns holding secrets are ${blob} values sealed
-- by a FieldCipher (AES-GCM, associated data = table, column, row key); they never hold plaintext.

CREATE TABLE push_certificates (
    id ${pk},
    provisioning_uid TEXT UNIQUE,
    name TEXT NOT NULL UNIQUE,
    topic TEXT UNIQUE,
    certificate_pem TEXT,
    private_key ${blob},
    not_before BIGINT,
    not_after BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE filevault_configs (
    id ${pk},
    name TEXT NOT NULL UNIQUE,
    escrow_location_display_name TEXT NOT NULL,
    at_login_only BOOLEAN NOT NULL DEFAULT FALSE,
    bypass_attempts INTEGER NOT NULL DEFAULT -1,
    show_recovery_key BOOLEAN NOT NULL DEFAULT FALSE,
    destroy_key_on_standby BOOLEAN NOT NULL DEFAULT FALSE,
    prk_rotation_interval_days INTEGER NOT NULL DEFAULT 0,
    prk_reveal_rotation_delay INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE recovery_password_configs (
    id ${pk},
    name TEXT NOT NULL UNIQUE,
    dynamic_password BOOLEAN NOT NULL DEFAULT TRUE,
    static_password ${blob},
    rotation_interval_days INTEGER NOT NULL DEFAULT 0,
    reveal_rotation_delay INTEGER NOT NULL DEFAULT 0,
    rotate_firmware_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE blueprints (
    id ${pk},
    name TEXT NOT NULL UNIQUE,
    inventory_interval INTEGER NOT NULL DEFAULT 86400,
    collect_apps TEXT NOT NULL DEFAULT 'NO',
    collect_certificates TEXT NOT NULL DEFAULT 'NO',
    collect_profiles TEXT NOT NULL DEFAULT 'NO',
    legacy_profiles_via_ddm BOOLEAN NOT NULL DEFAULT TRUE,
    filevault_config_id BIGINT REFERENCES filevault_configs (id),
    recovery_password_config_id BIGINT REFERENCES recovery_password_configs (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- OTA, ADE (DEP) and user enrollments share one table; type says which.
CREATE TABLE enrollments (
    id ${pk},
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    push_certificate_id BIGINT NOT NULL REFERENCES push_certificates (id),
    blueprint_id BIGINT REFERENCES blueprints (id) ON DELETE SET NULL,
    secret TEXT NOT NULL UNIQUE,
    secret_quota INTEGER,
    secret_request_count INTEGER NOT NULL DEFAULT 0,
    secret_expired_at BIGINT,
    serial_numbers TEXT,
    udids TEXT,
    return_to_service BOOLEAN NOT NULL DEFAULT FALSE,
    macos_min_version TEXT,
    ios_min_version TEXT,
    settings TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (type, name)
);

CREATE TABLE enrolled_devices (
    id ${pk},
    udid TEXT NOT NULL UNIQUE,
    enrollment_id TEXT NOT NULL UNIQUE,
    serial_number TEXT,
    name TEXT,
    model TEXT,
    platform TEXT,
    os_version TEXT,
    os_version_extra TEXT,
    build_version TEXT,
    build_version_extra TEXT,
    apple_silicon BOOLEAN NOT NULL DEFAULT FALSE,
    push_certificate_id BIGINT REFERENCES push_certificates (id) ON DELETE SET NULL,
    push_token ${blob},
    push_magic TEXT,
    push_topic TEXT,
    push_token_dead BOOLEAN NOT NULL DEFAULT FALSE,
    unlock_token ${blob},
    bootstrap_token ${blob},
    cert_fingerprint TEXT,
    cert_not_valid_after BIGINT,
    blueprint_id BIGINT REFERENCES blueprints (id) ON DELETE SET NULL,
    awaiting_configuration BOOLEAN NOT NULL DEFAULT FALSE,
    declarative_management BOOLEAN NOT NULL DEFAULT FALSE,
    declarations_token TEXT,
    dep_enrollment BOOLEAN NOT NULL DEFAULT FALSE,
    user_enrollment BOOLEAN NOT NULL DEFAULT FALSE,
    user_approved_enrollment BOOLEAN NOT NULL DEFAULT FALSE,
    supervised BOOLEAN NOT NULL DEFAULT FALSE,
    filevault_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    activation_lock_manageable BOOLEAN NOT NULL DEFAULT FALSE,
    device_information TEXT,
    device_information_updated_at BIGINT,
    security_info TEXT,
    security_info_updated_at BIGINT,
    filevault_config_uuid TEXT,
    filevault_escrow_key ${blob},
    filevault_prk ${blob},
    filevault_prk_updated_at BIGINT,
    recovery_password ${blob},
    recovery_password_updated_at BIGINT,
    pending_firmware_password ${blob},
    pending_firmware_password_updated_at BIGINT,
    admin_guid TEXT,
    admin_password ${blob},
    admin_password_updated_at BIGINT,
    device_lock_pin ${blob},
    device_lock_pin_updated_at BIGINT,
    last_ip TEXT,
    last_seen_at BIGINT,
    last_notified_at BIGINT,
    checkout_at BIGINT,
    blocked_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX enrolled_devices_serial_number ON enrolled_devices (serial_number);

CREATE TABLE enrollment_sessions (
    id ${pk},
    kind TEXT NOT NULL,
    enrollment_id BIGINT REFERENCES enrollments (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    serial_number TEXT,
    udid TEXT,
    enrolled_device_id BIGINT REFERENCES enrolled_devices (id) ON DELETE SET NULL,
    cert_fingerprint TEXT,
    managed_apple_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX enrollment_sessions_device ON enrollment_sessions (enrolled_device_id);

CREATE TABLE enrolled_users (
    id ${pk},
    enrolled_device_id BIGINT NOT NULL REFERENCES enrolled_devices (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL UNIQUE,
    enrollment_id TEXT NOT NULL UNIQUE,
    long_name TEXT,
    short_name TEXT,
    push_token ${blob},
    push_magic TEXT,
    push_token_dead BOOLEAN NOT NULL DEFAULT FALSE,
    declarative_management BOOLEAN NOT NULL DEFAULT FALSE,
    last_seen_at BIGINT,
    last_notified_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX enrolled_users_device ON enrolled_users (enrolled_device_id);

-- The hot command queue: only pending (never sent), in-flight (sent, unanswered) and NotNow commands.
-- Answered commands move to command_history in the transaction that records their result.
CREATE TABLE command_queue (
    id ${pk},
    uuid TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    enrollment_id TEXT NOT NULL,
    enrolled_device_id BIGINT NOT NULL REFERENCES enrolled_devices (id) ON DELETE CASCADE,
    enrolled_user_id BIGINT REFERENCES enrolled_users (id) ON DELETE CASCADE,
    request_type TEXT NOT NULL,
    name TEXT NOT NULL,
    artifact_version TEXT,
    artifact_operation TEXT,
    command_plist ${blob} NOT NULL,
    secret_arguments ${blob},
    not_before BIGINT,
    sent_at BIGINT,
    send_count INTEGER NOT NULL DEFAULT 0,
    status TEXT,
    result_plist ${blob},
    result_time BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX command_queue_next ON command_queue (enrollment_id, id);

CREATE TABLE command_history (
    id BIGINT PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    enrollment_id TEXT NOT NULL,
    enrolled_device_id BIGINT NOT NULL REFERENCES enrolled_devices (id) ON DELETE CASCADE,
    enrolled_user_id BIGINT REFERENCES enrolled_users (id) ON DELETE CASCADE,
    request_type TEXT NOT NULL,
    name TEXT NOT NULL,
    artifact_version TEXT,
    artifact_operation TEXT,
    command_plist ${blob} NOT NULL,
    secret_arguments ${blob},
    not_before BIGINT,
    sent_at BIGINT,
    send_count INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    result_plist ${blob},
    result_time BIGINT NOT NULL,
    error_chain TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX command_history_device ON command_history (enrolled_device_id, id);
CREATE INDEX command_history_user ON command_history (enrolled_user_id, id);

-- Push outbox: one row per target to wake; claimed with a lease, deleted once sent.
CREATE TABLE push_outbox (
    id ${pk},
    enrolled_device_id BIGINT NOT NULL REFERENCES enrolled_devices (id) ON DELETE CASCADE,
    enrolled_user_id BIGINT REFERENCES enrolled_users (id) ON DELETE CASCADE,
    reason TEXT,
    due_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX push_outbox_due ON push_outbox (due_at, id);
CREATE INDEX push_outbox_target ON push_outbox (enrolled_device_id);

CREATE TABLE tasks (
    id ${pk},
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    arguments TEXT,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    due_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until BIGINT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_due ON tasks (status, due_at, id);

CREATE TABLE api_tokens (
    id ${pk},
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    permissions TEXT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT,
    last_used_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE audit_events (
    id ${pk},
    occurred_at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    detail TEXT
);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id, id);
