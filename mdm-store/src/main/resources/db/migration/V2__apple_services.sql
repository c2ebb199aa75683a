-- ADE (DEP) virtual servers, tokens, devices and enrollment profiles; Apps & Books locations, assets,
-- location assets and device assignments; software updates; the blueprints' default location.

CREATE TABLE dep_tokens (
    id ${pk},
    certificate_pem TEXT NOT NULL,
    private_key ${blob} NOT NULL,
    consumer_key TEXT,
    consumer_secret ${blob},
    access_token TEXT,
    access_secret ${blob},
    access_token_expiry BIGINT,
    sync_cursor TEXT,
    last_synced_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE dep_virtual_servers (
    id ${pk},
    name TEXT NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    token_id BIGINT NOT NULL UNIQUE REFERENCES dep_tokens (id),
    organization_name TEXT,
    organization_email TEXT,
    organization_phone TEXT,
    organization_address TEXT,
    organization_type TEXT,
    organization_version TEXT,
    default_enrollment_id BIGINT REFERENCES enrollments (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE dep_devices (
    id ${pk},
    virtual_server_id BIGINT NOT NULL REFERENCES dep_virtual_servers (id) ON DELETE CASCADE,
    serial_number TEXT NOT NULL,
    asset_tag TEXT,
    color TEXT,
    description TEXT,
    device_family TEXT,
    model TEXT,
    os TEXT,
    device_assigned_by TEXT,
    device_assigned_date BIGINT,
    last_op_type TEXT,
    last_op_date BIGINT,
    profile_status TEXT,
    profile_uuid TEXT,
    profile_assign_time BIGINT,
    profile_push_time BIGINT,
    enrollment_id BIGINT REFERENCES enrollments (id) ON DELETE SET NULL,
    disowned_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (virtual_server_id, serial_number)
);
CREATE INDEX dep_devices_serial_number ON dep_devices (serial_number);

-- The ADE profile of a DEP enrollment, as defined at Apple (profile_uuid is Apple's answer).
CREATE TABLE dep_profiles (
    enrollment_id BIGINT PRIMARY KEY REFERENCES enrollments (id) ON DELETE CASCADE,
    virtual_server_id BIGINT NOT NULL REFERENCES dep_virtual_servers (id),
    profile TEXT NOT NULL,
    profile_uuid TEXT,
    defined_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE locations (
    id ${pk},
    name TEXT NOT NULL,
    organization_name TEXT NOT NULL,
    country_code TEXT,
    library_uid TEXT,
    platform TEXT,
    website_url TEXT,
    mdm_info_id TEXT NOT NULL UNIQUE,
    server_token ${blob} NOT NULL,
    server_token_hash TEXT NOT NULL UNIQUE,
    server_token_expiration_date BIGINT,
    notification_auth_token_hash TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE assets (
    id ${pk},
    adam_id TEXT NOT NULL,
    pricing_param TEXT NOT NULL,
    product_type TEXT NOT NULL,
    device_assignable BOOLEAN NOT NULL DEFAULT TRUE,
    revocable BOOLEAN NOT NULL DEFAULT TRUE,
    supported_platforms TEXT,
    metadata TEXT,
    name TEXT,
    bundle_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (adam_id, pricing_param)
);

CREATE TABLE location_assets (
    id ${pk},
    location_id BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    asset_id BIGINT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    assigned_count INTEGER NOT NULL DEFAULT 0,
    available_count INTEGER NOT NULL DEFAULT 0,
    retired_count INTEGER NOT NULL DEFAULT 0,
    total_count INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (location_id, asset_id)
);

CREATE TABLE device_assignments (
    id ${pk},
    location_asset_id BIGINT NOT NULL REFERENCES location_assets (id) ON DELETE CASCADE,
    serial_number TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (location_asset_id, serial_number)
);
CREATE INDEX device_assignments_serial_number ON device_assignments (serial_number);

CREATE TABLE software_updates (
    id ${pk},
    platform TEXT NOT NULL,
    major INTEGER NOT NULL,
    minor INTEGER NOT NULL,
    patch INTEGER NOT NULL,
    extra TEXT NOT NULL DEFAULT '',
    build TEXT NOT NULL,
    prerequisite_build TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL,
    availability_start BIGINT,
    availability_end BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (platform, build, prerequisite_build, public)
);

CREATE TABLE software_update_device_ids (
    id ${pk},
    software_update_id BIGINT NOT NULL REFERENCES software_updates (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    UNIQUE (software_update_id, device_id)
);
CREATE INDEX software_update_device_ids_device ON software_update_device_ids (device_id);

ALTER TABLE blueprints ADD COLUMN default_location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL;
