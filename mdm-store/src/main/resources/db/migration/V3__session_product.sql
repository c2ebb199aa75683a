-- The product (e.g. VirtualMac2,1, iPhone15,2) a device attested when it asked for its enrollment profile (OTA phase 2,
-- ADE MachineInfo): the platform of the device before its first check-in says more.
ALTER TABLE enrollment_sessions ADD COLUMN product TEXT;
