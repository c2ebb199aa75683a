package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import java.util.Optional;

/** DeviceInformation: the most used {@code QueryResponses} decoded, and all of them in {@link #queryResponses()}. */
public record DeviceInformationResponse(Optional<String> udid, Optional<String> serialNumber,
                                        Optional<String> deviceName, Optional<String> osVersion,
                                        Optional<String> buildVersion, Optional<String> supplementalBuildVersion,
                                        Optional<String> supplementalOSVersionExtra, Optional<String> productName,
                                        Optional<String> model, Optional<String> modelName,
                                        Optional<Boolean> isSupervised, Optional<Boolean> isAppleSilicon,
                                        Optional<Boolean> awaitingConfiguration,
                                        Optional<Boolean> isActivationLockEnabled, Optional<Double> deviceCapacity,
                                        Optional<Double> availableDeviceCapacity, Optional<Double> batteryLevel,
                                        Optional<String> wifiMac, Optional<String> bluetoothMac,
                                        Optional<String> softwareUpdateDeviceId, PlistDict queryResponses) {

    /** Decodes a DeviceInformation report. */
    public static DeviceInformationResponse from(CommandReport report) throws InvalidMessageException {
        PlistDict q = report.raw().requireDict("QueryResponses");
        return new DeviceInformationResponse(q.string("UDID"), q.string("SerialNumber"), q.string("DeviceName"),
                q.string("OSVersion"), q.string("BuildVersion"), q.string("SupplementalBuildVersion"),
                q.string("SupplementalOSVersionExtra"), q.string("ProductName"), q.string("Model"),
                q.string("ModelName"), q.bool("IsSupervised"), q.bool("IsAppleSilicon"),
                q.bool("AwaitingConfiguration"), q.bool("IsActivationLockEnabled"), q.real("DeviceCapacity"),
                q.real("AvailableDeviceCapacity"), q.real("BatteryLevel"), q.string("WiFiMAC"),
                q.string("BluetoothMAC"), q.string("SoftwareUpdateDeviceID"), q);
    }
}
