package dev.orchardmdm.server.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;

/** The work of one kind of background task (an ABM device sync, a software-update sync, ...). */
@FunctionalInterface
public interface TaskHandler {

    /** Reports progress (0..100) and keeps the task's lease alive. */
    @FunctionalInterface
    interface Progress {
        void report(int percent) throws Exception;
    }

    /**
     * Runs the task.
     *
     * @param arguments the JSON arguments given at submission ({@code {}} when none)
     * @return the JSON result, reported by {@code /api/task_result/<id>/}
     * @throws Exception any failure: the task fails with the exception's message (never a secret)
     */
    JsonNode run(JsonNode arguments, Progress progress) throws Exception;
}
