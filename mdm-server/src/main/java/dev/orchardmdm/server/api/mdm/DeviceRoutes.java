package dev.orchardmdm.server.api.mdm;

import dev.orchardmdm.protocol.Command;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.protocol.ProtocolException;
import dev.orchardmdm.protocol.schema.DeviceContext;
import dev.orchardmdm.protocol.schema.SchemaValidator;
import dev.orchardmdm.server.api.ApiAudit;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.DeviceWaker;
import dev.orchardmdm.server.api.JsonBody;
import dev.orchardmdm.server.api.Pagination;
import dev.orchardmdm.server.api.StoreErrors;
import dev.orchardmdm.server.engine.CommandService;
import dev.orchardmdm.server.engine.DeviceActions;
import dev.orchardmdm.server.engine.FileVaultRotation;
import dev.orchardmdm.server.engine.ResultSecrets;
import dev.orchardmdm.store.Blueprint;
import dev.orchardmdm.store.BlueprintRepository;
import dev.orchardmdm.store.CommandQueue;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.DeviceRepository;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.RecoveryPasswordConfig;
import dev.orchardmdm.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Enrolled devices and their commands: list (filters {@code serial_number}, {@code udid}), block
 * and unblock, erase and lock (with the spec's per-platform argument rules), custom commands,
 * the FileVault PRK and recovery password reveals (audited), and the device command list, detail and
 * deletion of unsent commands.
 */
public final class DeviceRoutes implements ApiModule {

    static final String VIEW_DEVICE = "mdm.view_enrolleddevice";
    static final String CHANGE_DEVICE = "mdm.change_enrolleddevice";
    static final String ADD_COMMAND = "mdm.add_devicecommand";
    static final String VIEW_COMMAND = "mdm.view_devicecommand";
    static final String DELETE_COMMAND = "mdm.delete_devicecommand";
    static final String VIEW_PRK = "mdm.view_filevault_prk";
    static final String VIEW_RECOVERY = "mdm.view_recovery_password";
    /** Needed to read the secret values (e.g. an ActivationLockBypassCode) of a raw command result. */
    static final String VIEW_RESULT_SECRETS = "mdm.view_command_result_secrets";
    static final String DEVICE_TYPE = "mdm.enrolleddevice";
    static final String COMMAND_TYPE = "mdm.devicecommand";

    /** Largest custom command plist accepted. */
    public static final int MAX_CUSTOM_COMMAND = 256 * 1024;

    private final DeviceRepository devices;
    private final CommandQueue commands;
    private final CommandService commandService;
    private final DeviceWaker waker;
    private final CommandValidator validator;
    private final ApiAudit audit;
    private final BlueprintRepository blueprints;
    private final Clock clock;
    private final DeviceActions actions;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param commands       the queue, read for the command endpoints
     * @param commandService the engine's command service: queues (secrets kept encrypted) and wakes devices
     * @param waker          wakes a blocked device so that it meets its release at once
     * @param validator      checks a custom command against Apple's schema before it is queued
     * @param blueprints     the policies: a recovery password reveal schedules its rotation when the device's
     *                       recovery password configuration says so
     */
    public DeviceRoutes(DeviceRepository devices, CommandQueue commands, CommandService commandService,
                        DeviceWaker waker, CommandValidator validator, ApiAudit audit, BlueprintRepository blueprints,
                        Clock clock) {
        this.blueprints = Objects.requireNonNull(blueprints, "blueprints");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.commandService = Objects.requireNonNull(commandService, "commandService");
        this.waker = Objects.requireNonNull(waker, "waker");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.actions = new DeviceActions(commandService);
    }

    /** Validates a custom command for a device. */
    @FunctionalInterface
    public interface CommandValidator {
        /**
         * @return the problems found, empty when the command is valid for this device
         */
        List<String> problems(Command command, EnrolledDevice device);
    }

    /**
     * mdm-protocol's schema validation (Apple's YAML): the RequestType exists, keys and types are
     * right, and the command suits the device's OS, supervision and enrollment type.
     */
    public static CommandValidator schemaValidator(SchemaValidator validator) {
        return (command, device) -> {
            List<String> problems = new java.util.ArrayList<>();
            validator.validateCommandDict(command.commandDict()).errors().forEach(i -> problems.add(i.toString()));
            if (problems.isEmpty() && device.platform() != null) {
                validator.checkApplicable(command, new DeviceContext(device.platform(), device.supervised(),
                        device.userEnrollment(), false)).errors().forEach(i -> problems.add(i.toString()));
            }
            return problems;
        };
    }

    @Override
    public List<ApiRoute> routes() {
        String d = "/api/mdm/devices/";
        return List.of(
                new ApiRoute("GET", d, List.of(VIEW_DEVICE), "List enrolled devices (filters serial_number, udid)",
                        this::list),
                new ApiRoute("GET", d + "{id}/", List.of(VIEW_DEVICE), "Get an enrolled device", this::get),
                new ApiRoute("POST", d + "{id}/block/", List.of(CHANGE_DEVICE),
                        "Block a device: released from MDM, re-enrollment denied", call -> block(call, true)),
                new ApiRoute("POST", d + "{id}/unblock/", List.of(CHANGE_DEVICE),
                        "Unblock a device: it can enroll again", call -> block(call, false)),
                new ApiRoute("POST", d + "{id}/erase/", List.of(ADD_COMMAND),
                        "Queue EraseDevice (disallow_proximity_setup, preserve_data_plan, pin)", this::erase),
                new ApiRoute("POST", d + "{id}/lock/", List.of(ADD_COMMAND),
                        "Queue DeviceLock (pin, message, phone_number)", this::lock),
                new ApiRoute("POST", d + "{id}/send_custom_command/", List.of(ADD_COMMAND),
                        "Queue a custom command: {\"command\": \"<plist Command dictionary>\"}", this::custom),
                new ApiRoute("GET", d + "{id}/filevault_prk/", List.of(VIEW_PRK),
                        "Reveal the escrowed FileVault PRK (audited)",
                        call -> reveal(call, DeviceSecret.FILEVAULT_PRK, "filevault_prk")),
                new ApiRoute("GET", d + "{id}/recovery_password/", List.of(VIEW_RECOVERY),
                        "Reveal the recovery lock / firmware password (audited)",
                        call -> reveal(call, DeviceSecret.RECOVERY_PASSWORD, "recovery_password")),
                new ApiRoute("GET", d + "commands/", List.of(VIEW_COMMAND),
                        "List device commands, newest first (filters name, enrolled_device)", this::listCommands),
                new ApiRoute("GET", d + "commands/{uuid}/", List.of(VIEW_COMMAND), "Get a device command",
                        this::getCommand),
                new ApiRoute("DELETE", d + "commands/{uuid}/", List.of(DELETE_COMMAND),
                        "Delete a device command that was not sent yet", this::deleteCommand));
    }

    private ApiResponse list(ApiCall call) throws ApiException {
        String serial = call.filter("serial_number").orElse(null);
        String udid = call.filter("udid").orElse(null);
        return Pagination.respond(call, Pagination.source(
                (limit, offset) -> devices.list(new DeviceRepository.DeviceQuery(serial, udid, null, null, null, limit,
                        offset)).stream().map(DeviceJson::device).toList(),
                () -> devices.count(new DeviceRepository.DeviceQuery(serial, udid, null, null, null, 0, 0))));
    }

    private EnrolledDevice device(ApiCall call) throws ApiException {
        return devices.findById(call.pathId("id")).orElseThrow(() -> ApiException.notFound("id"));
    }

    private ApiResponse get(ApiCall call) throws ApiException {
        return ApiResponse.ok(DeviceJson.device(device(call)));
    }

    private ApiResponse block(ApiCall call, boolean block) throws ApiException {
        EnrolledDevice before = device(call);
        EnrolledDevice after;
        try {
            after = block ? devices.block(before.id()) : devices.unblock(before.id());
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
        if (block) {
            // the device meets its 401 (release) at its next request
            waker.wake(after.id(), "block");
        }
        audit.record(call, block ? "blocked" : "unblocked", DEVICE_TYPE, after.id(),
                Map.of("serial_number", String.valueOf(after.serialNumber()), "udid", after.udid()));
        return ApiResponse.ok(DeviceJson.device(after));
    }

    private ApiResponse erase(ApiCall call) throws ApiException {
        EnrolledDevice device = device(call);
        JsonBody body = call.body();
        DeviceActions.Erase args = new DeviceActions.Erase(body.optBool("disallow_proximity_setup").orElse(null),
                body.optBool("preserve_data_plan").orElse(null), body.optString("pin", 6).orElse(null));
        DeviceActions.Queued queued;
        try {
            queued = actions.erase(device, args);
        } catch (DeviceActions.Refused e) {
            throw ApiException.field(e.argument(), e.getMessage());
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
        return queued(call, device, queued.command(), Map.of("disallow_proximity_setup",
                args.disallowProximitySetup() != null, "pin_set", queued.pinSet()));
    }

    private ApiResponse lock(ApiCall call) throws ApiException {
        EnrolledDevice device = device(call);
        JsonBody body = call.body();
        DeviceActions.Lock args = new DeviceActions.Lock(body.optString("pin", 6).orElse(null),
                body.optString("message", 1024).orElse(null), body.optString("phone_number", 64).orElse(null));
        DeviceActions.Queued queued;
        try {
            queued = actions.lock(device, args);
        } catch (DeviceActions.Refused e) {
            throw ApiException.field(e.argument(), e.getMessage());
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
        return queued(call, device, queued.command(), Map.of("message", Objects.requireNonNullElse(args.message(), ""),
                "phone_number", Objects.requireNonNullElse(args.phoneNumber(), ""), "pin_set", queued.pinSet()));
    }

    private ApiResponse custom(ApiCall call) throws ApiException {
        EnrolledDevice device = device(call);
        String text = call.body().string("command", MAX_CUSTOM_COMMAND);
        Command command;
        try {
            PlistDict dict = PlistReader.withDefaults().readDictionary(text.getBytes(StandardCharsets.UTF_8));
            command = Command.fromDict(dict);
        } catch (ProtocolException e) {
            throw ApiException.field("command", "Invalid command plist: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.field("command", "Invalid command: " + e.getMessage());
        }
        List<String> problems = validator.problems(command, device);
        if (!problems.isEmpty()) {
            throw ApiException.field("command", String.join("; ", problems));
        }
        Command fresh = command.withUuid(Command.newUuid());
        return queue(call, device, fresh, Set.of(), Map.of("request_type", command.requestType()));
    }

    private ApiResponse queue(ApiCall call, EnrolledDevice device, Command command, Set<String> secretKeys,
                              Map<String, Object> details) throws ApiException {
        dev.orchardmdm.store.Command queued;
        try {
            DeviceActions.requireManageable(device);
            // the engine's command service keeps the secret keys encrypted beside the plist and wakes the device
            queued = commandService.queue(CommandTarget.device(device), command, secretKeys, null, null);
        } catch (DeviceActions.Refused e) {
            throw ApiException.field(e.argument(), e.getMessage());
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
        return queued(call, device, queued, details);
    }

    /** Audits a queued command and answers 201 with it. */
    private ApiResponse queued(ApiCall call, EnrolledDevice device, dev.orchardmdm.store.Command queued,
                               Map<String, Object> details) throws ApiException {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("command_uuid", queued.uuid().toString());
        d.put("request_type", queued.requestType());
        audit.record(call, "command_queued", DEVICE_TYPE, device.id(), d);
        return ApiResponse.created(DeviceJson.command(queued));
    }

    private ApiResponse reveal(ApiCall call, DeviceSecret secret, String field) throws ApiException {
        EnrolledDevice device = device(call);
        Optional<String> value;
        try {
            value = devices.secretString(device.id(), secret);
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("serial_number", String.valueOf(device.serialNumber()));
        details.put("escrowed", value.isPresent());
        if (secret == DeviceSecret.RECOVERY_PASSWORD && value.isPresent()) {
            scheduleRecoveryPasswordRotation(device, value.get())
                    .ifPresent(c -> details.put("rotation_command", c.uuid().toString()));
        }
        if (secret == DeviceSecret.FILEVAULT_PRK && value.isPresent()) {
            try {
                new FileVaultRotation(devices, blueprints, commandService, clock).scheduleAfterReveal(device,
                        value.get()).ifPresent(c -> details.put("rotation_command", c.uuid().toString()));
            } catch (StoreException e) {
                throw StoreErrors.map(e, "id");
            } catch (dev.orchardmdm.crypto.CryptoException e) {
                throw new IllegalStateException("device " + device.id() + ": unusable FileVault escrow identity", e);
            }
        }
        audit.record(call, field + "_viewed", DEVICE_TYPE, device.id(), details);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", device.id());
        m.put("serial_number", device.serialNumber());
        m.put(field, value.orElse(null));
        return ApiResponse.ok(m);
    }

    /**
     * After a reveal, when the device's recovery password configuration is dynamic with a reveal
     * rotation delay: queues SetRecoveryLock (Apple silicon) or SetFirmwarePassword (Intel, when
     * the configuration rotates firmware passwords) with a new generated password, due after the
     * delay. The engine escrows the new password when the device acknowledges it.
     */
    private Optional<dev.orchardmdm.store.Command> scheduleRecoveryPasswordRotation(EnrolledDevice device,
                                                                                   String current) throws ApiException {
        Optional<RecoveryPasswordConfig> config = Optional.ofNullable(device.blueprintId())
                .flatMap(blueprints::findBlueprint)
                .map(Blueprint::recoveryPasswordConfigId)
                .flatMap(blueprints::findRecoveryPasswordConfig)
                .filter(c -> c.dynamicPassword() && c.revealRotationDelay() > 0);
        if (config.isEmpty() || !"macOS".equals(device.platform())
                || (!device.appleSilicon() && !config.get().rotateFirmwarePassword())) {
            return Optional.empty();
        }
        String requestType = device.appleSilicon() ? "SetRecoveryLock" : "SetFirmwarePassword";
        Command command = Command.of(requestType, PlistDict.builder().put("CurrentPassword", current)
                .put("NewPassword", newPassword()).build());
        try {
            return Optional.of(commandService.queue(CommandTarget.device(device), command,
                    Set.of("CurrentPassword", "NewPassword"),
                    clock.instant().plus(Duration.ofMinutes(config.get().revealRotationDelay())), null));
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
    }

    private String newPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private ApiResponse listCommands(ApiCall call) throws ApiException {
        String name = call.filter("name").orElse(null);
        Long deviceId = call.idFilter("enrolled_device").orElse(null);
        return Pagination.respond(call, Pagination.source(
                (limit, offset) -> commands.list(query(deviceId, name, limit, offset)).stream()
                        .map(DeviceRoutes::redactedCommand).toList(),
                () -> commands.count(query(deviceId, name, 0, 0))));
    }

    private static CommandQueue.Query query(Long deviceId, String name, int limit, int offset) {
        return new CommandQueue.Query(dev.orchardmdm.store.Channel.DEVICE, deviceId, null, null, null, name, null, null,
                limit, offset);
    }

    private dev.orchardmdm.store.Command command(ApiCall call) throws ApiException {
        UUID uuid = call.pathUuid("uuid");
        return commands.findByUuid(uuid).filter(c -> c.channel() == dev.orchardmdm.store.Channel.DEVICE)
                .orElseThrow(() -> ApiException.notFound("uuid"));
    }

    /**
     * A command with the secret values of its raw result redacted (lists never carry result secrets).
     */
    private static Map<String, Object> redactedCommand(dev.orchardmdm.store.Command c) {
        Map<String, Object> m = DeviceJson.command(c);
        ResultSecrets.redacted(c.resultPlist()).ifPresent(r -> {
            m.put("result", java.util.Base64.getEncoder().encodeToString(r));
            m.put("result_redacted", true);
        });
        return m;
    }

    /**
     * One command: a raw result that holds secrets is served whole only to tokens with
     * {@value #VIEW_RESULT_SECRETS}, and that reveal is audited; others get it redacted.
     */
    private ApiResponse getCommand(ApiCall call) throws ApiException {
        dev.orchardmdm.store.Command c = command(call);
        if (ResultSecrets.redacted(c.resultPlist()).isEmpty() || !call.principal().has(VIEW_RESULT_SECRETS)) {
            return ApiResponse.ok(redactedCommand(c));
        }
        audit.record(call, "command_result_secrets_viewed", COMMAND_TYPE, c.uuid(), Map.of(
                "request_type", c.requestType(), "enrolled_device", c.enrolledDeviceId()));
        return ApiResponse.ok(DeviceJson.command(c));
    }

    private ApiResponse deleteCommand(ApiCall call) throws ApiException {
        dev.orchardmdm.store.Command c = command(call);
        if (c.sentAt() != null || c.answered()) {
            throw ApiException.field("uuid", "This command was already sent and cannot be deleted.");
        }
        try {
            commands.deleteUnsent(c.uuid());
        } catch (StoreException e) {
            throw StoreErrors.map(e, "uuid");
        }
        audit.record(call, "deleted", COMMAND_TYPE, c.uuid(), Map.of("name", c.name(),
                "enrolled_device", c.enrolledDeviceId()));
        return ApiResponse.noContent();
    }
}
