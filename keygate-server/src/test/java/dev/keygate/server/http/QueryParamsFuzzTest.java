package dev.keygate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzz test of query parameters (SPEC section 5): any query string a list route receives is either
 * taken (declared names, each once, values in range) or refused with {@code 400 invalid_request}
 * naming a parameter; never an exception that would become a {@code 500}. Runs over the committed
 * inputs in {@code QueryParamsFuzzTestInputs/} in a normal build; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class QueryParamsFuzzTest {

    private static final Set<String> LIST_ROUTE = Set.of("limit", "starting_after");

    @FuzzTest(maxDuration = "5m")
    void listRouteWhenAnyQueryThenTakenOrInvalidRequestNamingAParameter(byte[] input) {
        MultiMap params = decode(new String(input, StandardCharsets.ISO_8859_1));
        if (params == null) {
            return;  // not validly encoded: the route answers 400 before looking at names
        }

        Optional<ApiException> refusal = QueryParams.refusal(params, LIST_ROUTE);

        if (refusal.isPresent()) {
            assertInvalidRequestNamingAParameter(refusal.get());
            return;
        }
        assertThat(params.names()).allSatisfy(name -> {
            assertThat(LIST_ROUTE).contains(name);
            assertThat(params.getAll(name)).hasSize(1);
        });
        try {
            assertThat(QueryParams.wholeNumber("limit", params.get("limit"), 1, 100, 10)).isBetween(1, 100);
        } catch (ApiException e) {
            assertInvalidRequestNamingAParameter(e);
            assertThat(e.param()).contains("limit");
        }
        try {
            assertThat(QueryParams.text("starting_after", params.get("starting_after")))
                    .satisfies(cursor -> assertThat(cursor.orElse("x")).isNotEmpty());
        } catch (ApiException e) {
            assertThat(e.param()).contains("starting_after");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void routeWithoutParametersWhenAnyNonEmptyQueryThenRefused(byte[] input) {
        MultiMap params = decode(new String(input, StandardCharsets.ISO_8859_1));
        if (params == null) {
            return;
        }

        Optional<ApiException> refusal = QueryParams.refusal(params, Set.of());

        assertThat(refusal.isPresent()).isEqualTo(!params.isEmpty());
        refusal.ifPresent(QueryParamsFuzzTest::assertInvalidRequestNamingAParameter);
    }

    /** The query as Vert.x Web's {@code queryParams()} decodes it; null where it refuses the encoding. */
    private static MultiMap decode(String query) {
        try {
            MultiMap params = MultiMap.caseInsensitiveMultiMap();
            new QueryStringDecoder("/?" + query, StandardCharsets.UTF_8).parameters().forEach(params::add);
            return params;
        } catch (IllegalArgumentException badEncoding) {
            return null;
        }
    }

    private static void assertInvalidRequestNamingAParameter(ApiException problem) {
        assertThat(problem.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(problem.code().status()).isEqualTo(400);
        assertThat(problem.param()).hasValueSatisfying(param -> assertThat(param).isNotEmpty().hasSizeLessThanOrEqualTo(63)
                .doesNotContainPattern("\\p{Cntrl}"));
        assertThat(problem.getMessage()).contains(problem.param().orElseThrow()).hasSizeLessThan(200)
                .doesNotContainPattern("\\p{Cntrl}");
    }
}
