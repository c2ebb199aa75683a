package dev.orchardmdm.server.api.mdm;

import dev.orchardmdm.server.api.ApiAudit;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.JsonBody;
import dev.orchardmdm.server.api.Pagination;
import dev.orchardmdm.server.api.StoreErrors;
import dev.orchardmdm.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Zentral's CRUD routes for one model: {@code GET base} (filter {@code name}), {@code POST base},
 * {@code GET/PUT/DELETE base<id>/}, with {@code mdm.<action>_<model>} permissions and an audit
 * event for every change.
 *
 * @param <T> the stored record
 */
final class CrudRoutes<T> {

    /** Reads a body into a stored object (create) or updates one. */
    @FunctionalInterface
    interface Write<T> {
        T apply(Long id, JsonBody body) throws ApiException, StoreException;
    }

    /** Deletes by id. */
    @FunctionalInterface
    interface Delete {
        void apply(long id) throws StoreException;
    }

    private final String base;
    private final String model;
    private final String label;
    private final Function<String, List<T>> list;
    private final Function<Long, Optional<T>> find;
    private final Write<T> write;
    private final Delete delete;
    private final Function<T, Map<String, Object>> json;
    private final ToLongFunction<T> idOf;
    private final ApiAudit audit;

    CrudRoutes(String base, String model, String label, Function<String, List<T>> list, Function<Long, Optional<T>> find,
               Write<T> write, Delete delete, Function<T, Map<String, Object>> json, ToLongFunction<T> idOf,
               ApiAudit audit) {
        this.base = base;
        this.model = model;
        this.label = label;
        this.list = list;
        this.find = find;
        this.write = write;
        this.delete = delete;
        this.json = json;
        this.idOf = idOf;
        this.audit = audit;
    }

    List<ApiRoute> routes() {
        return List.of(
                new ApiRoute("GET", base, List.of("mdm.view_" + model), "List " + label + "s (filter name)",
                        call -> Pagination.respond(call, list.apply(call.filter("name").orElse(null)).stream()
                                .map(json).toList())),
                new ApiRoute("POST", base, List.of("mdm.add_" + model), "Create a " + label, this::create),
                new ApiRoute("GET", base + "{id}/", List.of("mdm.view_" + model), "Get a " + label,
                        call -> ApiResponse.ok(json.apply(get(call)))),
                new ApiRoute("PUT", base + "{id}/", List.of("mdm.change_" + model), "Update a " + label, this::update),
                new ApiRoute("DELETE", base + "{id}/", List.of("mdm.delete_" + model), "Delete a " + label,
                        this::delete));
    }

    private T get(ApiCall call) throws ApiException {
        return find.apply(call.pathId("id")).orElseThrow(() -> ApiException.notFound("id"));
    }

    private ApiResponse create(ApiCall call) throws ApiException {
        JsonBody body = call.body();
        T created = store(null, body);
        Map<String, Object> out = json.apply(created);
        audit.record(call, "created", "mdm." + model, idOf.applyAsLong(created), out);
        return ApiResponse.created(out);
    }

    private ApiResponse update(ApiCall call) throws ApiException {
        T current = get(call);
        T updated = store(idOf.applyAsLong(current), call.body());
        Map<String, Object> out = json.apply(updated);
        audit.record(call, "updated", "mdm." + model, idOf.applyAsLong(updated), Map.of("before",
                json.apply(current), "after", out));
        return ApiResponse.ok(out);
    }

    private T store(Long id, JsonBody body) throws ApiException {
        try {
            return write.apply(id, body);
        } catch (StoreException e) {
            throw StoreErrors.map(e, "name");
        } catch (IllegalArgumentException e) {
            throw ApiException.field("non_field_errors", e.getMessage());
        }
    }

    private ApiResponse delete(ApiCall call) throws ApiException {
        T current = get(call);
        try {
            delete.apply(idOf.applyAsLong(current));
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
        audit.record(call, "deleted", "mdm." + model, idOf.applyAsLong(current), json.apply(current));
        return ApiResponse.noContent();
    }
}
