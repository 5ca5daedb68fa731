package dev.keygate.server.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query parameters of an API route (SPEC section 5): each route declares the names it
 * accepts ({@link #allow}); any other name, or a known one given twice, is {@code 400
 * invalid_request} naming it. {@code ?limit=1;DROP…} is refused: {@code ;} separates parameters,
 * so {@code DROP…} is an unknown one. Values are read through the typed accessors, which refuse a
 * malformed value the same way.
 *
 * <p>{@code router.get("/api/v1/payments").handler(auth).handler(QueryParams.allow("limit", "starting_after"))}
 */
public final class QueryParams {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private QueryParams() {}

    /** A handler that lets through only requests whose query names are among {@code names}, each at most once. */
    public static Handler<RoutingContext> allow(String... names) {
        Set<String> allowed = Set.of(names);
        return ctx -> {
            MultiMap params;
            try {
                // Not request().params(): Vert.x Web puts path parameters such as :id there too.
                params = ctx.queryParams();
            } catch (RuntimeException badEncoding) {
                ctx.fail(new ApiException(ErrorCode.INVALID_REQUEST, "The query string is not validly encoded."));
                return;
            }
            Optional<ApiException> refusal = refusal(params, allowed);
            if (refusal.isPresent()) {
                ctx.fail(refusal.get());
                return;
            }
            ctx.next();
        };
    }

    /** Why a route taking only {@code allowed} refuses the query {@code params}; empty when it takes them. */
    static Optional<ApiException> refusal(MultiMap params, Set<String> allowed) {
        for (String name : params.names()) {
            if (!allowed.contains(name)) {
                String shown = UrlText.printableName(name);
                return Optional.of(invalid(shown, "Unknown query parameter: " + shown + (allowed.isEmpty()
                        ? ". This URL takes no query parameters." : ". This URL takes " + list(allowed) + ".")));
            }
            if (params.getAll(name).size() > 1) {
                return Optional.of(invalid(name, "Query parameter " + name + " is given more than once."));
            }
        }
        return Optional.empty();
    }

    /** A handler for routes that take no query parameter at all. */
    public static Handler<RoutingContext> none() {
        return allow();
    }

    /**
     * The whole number in parameter {@code name}, from {@code min} to {@code max}; {@code absent} when not sent.
     *
     * @throws ApiException {@code 400} naming the parameter for anything else, an empty value included
     */
    public static int wholeNumber(RoutingContext ctx, String name, int min, int max, int absent) {
        return wholeNumber(name, ctx.queryParams().get(name), min, max, absent);
    }

    static int wholeNumber(String name, String value, int min, int max, int absent) {
        if (value == null) {
            return absent;
        }
        int number = WHOLE_NUMBER.matcher(value).matches() ? Integer.parseInt(value) : -1;
        if (number < min || number > max) {
            throw invalid(name, name + " must be a whole number from " + min + " to " + max + ".");
        }
        return number;
    }

    /**
     * The text in parameter {@code name}, if sent.
     *
     * @throws ApiException {@code 400} naming the parameter when it is sent empty
     */
    public static Optional<String> text(RoutingContext ctx, String name) {
        return text(name, ctx.queryParams().get(name));
    }

    static Optional<String> text(String name, String value) {
        if (value != null && value.isEmpty()) {
            throw invalid(name, name + " must not be empty.");
        }
        return Optional.ofNullable(value);
    }

    private static String list(Set<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        return sorted.size() == 1 ? "only " + sorted.get(0) : "only " + String.join(" and ", sorted);
    }

    private static ApiException invalid(String param, String detail) {
        return new ApiException(ErrorCode.INVALID_REQUEST, detail, param, java.util.Map.of());
    }
}
