package dev.orchardmdm.server.api;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zentral's list convention: a plain JSON array, or with {@code ?limit=} (default 50, at most 500)
 * and/or {@code ?offset=} the envelope {@code {"count", "next", "previous", "results"}}.
 */
public final class Pagination {

    /** Largest page. */
    public static final int MAX_LIMIT = 500;
    /** Page size when only {@code offset} is given. */
    public static final int DEFAULT_LIMIT = 50;

    private Pagination() {
    }

    /** A list that the database pages itself. */
    public interface Source {
        /** The items of one page, already serialized. */
        List<?> page(int limit, int offset);

        /** How many items there are in all. */
        long count();
    }

    /** A source from a page function ({@code (limit, offset) -> items}) and a count function. */
    public static Source source(java.util.function.BiFunction<Integer, Integer, List<?>> page,
                                java.util.function.LongSupplier count) {
        return new Source() {
            @Override
            public List<?> page(int limit, int offset) {
                return page.apply(limit, offset);
            }

            @Override
            public long count() {
                return count.getAsLong();
            }
        };
    }

    /** Answers {@code items} (already filtered and ordered) as an array or as one page of them. */
    public static ApiResponse respond(ApiCall call, List<?> items) throws ApiException {
        return respond(call, source((limit, offset) -> {
            int from = Math.min(offset, items.size());
            return items.subList(from, (int) Math.min(items.size(), (long) from + limit));
        }, items::size));
    }

    /** Answers a database-paged list as an array (all of it) or as one page. */
    public static ApiResponse respond(ApiCall call, Source source) throws ApiException {
        boolean hasLimit = !call.queryValues("limit").isEmpty();
        boolean hasOffset = !call.queryValues("offset").isEmpty();
        if (!hasLimit && !hasOffset) {
            return ApiResponse.ok(source.page(Integer.MAX_VALUE, 0));
        }
        int limit = hasLimit ? parse(call, "limit", 1) : DEFAULT_LIMIT;
        limit = Math.min(limit, MAX_LIMIT);
        int offset = hasOffset ? parse(call, "offset", 0) : 0;
        long count = source.count();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("count", count);
        page.put("next", offset + limit < count ? withParams(call.fullUrl(), limit, offset + limit) : null);
        page.put("previous", offset > 0 ? withParams(call.fullUrl(), limit, Math.max(0, offset - limit)) : null);
        page.put("results", source.page(limit, offset));
        return ApiResponse.ok(page);
    }

    private static int parse(ApiCall call, String name, int min) throws ApiException {
        List<String> values = call.queryValues(name);
        String v = values.get(0);
        if (values.size() > 1 || !v.matches("[0-9]{1,9}") || Integer.parseInt(v) < min) {
            throw ApiException.field(name, "A valid integer" + (min > 0 ? " greater than 0" : "") + " is required.");
        }
        return Integer.parseInt(v);
    }

    static String withParams(String url, int limit, int offset) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        List<String> kept = new ArrayList<>();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                String key = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                if (!pair.isEmpty() && !key.equals("limit") && !key.equals("offset")) {
                    kept.add(pair);
                }
            }
        }
        kept.add("limit=" + URLEncoder.encode(Integer.toString(limit), StandardCharsets.UTF_8));
        if (offset > 0) {
            kept.add("offset=" + offset);
        }
        return base + "?" + String.join("&", kept);
    }
}
