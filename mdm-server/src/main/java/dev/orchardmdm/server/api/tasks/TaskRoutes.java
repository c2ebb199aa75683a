package dev.orchardmdm.server.api.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiJson;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.store.StoreException;
import dev.orchardmdm.store.Task;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /api/task_result/<task_id>/}: Zentral's task result ({@code name}, {@code id},
 * {@code status} PENDING/STARTED/SUCCESS/FAILURE, {@code unready}, {@code result}) plus
 * {@code progress} (0..100) and {@code error}. Any valid token may read a task result.
 */
public final class TaskRoutes implements ApiModule {

    private final TaskQueue queue;
    private final ObjectMapper mapper = ApiJson.newMapper();

    public TaskRoutes(TaskQueue queue) {
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(new ApiRoute("GET", "/api/task_result/{task_id}/", List.of(),
                "Status, progress and result of a background task", this::get));
    }

    private ApiResponse get(ApiCall call) throws ApiException {
        Task task = queue.find(call.pathUuid("task_id")).orElseThrow(() -> ApiException.notFound("task_id"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", task.name());
        m.put("id", task.uuid().toString());
        m.put("status", switch (task.status()) {
            case PENDING -> "PENDING";
            case RUNNING -> "STARTED";
            case SUCCEEDED -> "SUCCESS";
            case FAILED -> "FAILURE";
        });
        m.put("unready", !task.status().isFinal());
        m.put("progress", task.progress());
        Object result = null;
        if (task.result() != null) {
            try {
                result = mapper.readTree(task.result());
            } catch (IOException e) {
                result = task.result();
            }
        }
        m.put("result", result);
        m.put("error", task.error());
        return ApiResponse.ok(m);
    }

    /**
     * Submits a task and answers the spec's {@code {"task_id", "task_result_url"}} (201).
     */
    public static ApiResponse submitted(TaskQueue queue, String name, Map<String, ?> arguments) throws ApiException {
        Task task;
        try {
            task = queue.submit(name, arguments);
        } catch (StoreException e) {
            throw ApiException.detail(503, "The task cannot be queued.");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task_id", task.uuid().toString());
        m.put("task_result_url", "/api/task_result/" + task.uuid() + "/");
        return ApiResponse.created(m);
    }
}
