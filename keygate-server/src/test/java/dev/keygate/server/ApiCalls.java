package dev.keygate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.payments.Payments;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Requests to the payments API of a {@link TestServer} (SPEC section 5): JSON bodies in, responses
 * out, and the few assertions every test of it repeats. A null key sends no {@code Authorization}.
 *
 * <pre>{@code
 * ApiCalls api = new ApiCalls(server);
 * JsonObject payment = api.createPayment(shop.publicTest(), 1050, "USD");
 * HttpResponse<String> read = api.get("/api/v1/payments/" + payment.getString("id"), shop.secretTest());
 * }</pre>
 */
final class ApiCalls {

    static final String JSON = "application/json";

    private final TestServer server;

    ApiCalls(TestServer server) {
        this.server = server;
    }

    /**
     * The server's own rules, on its own store and clock: seeds objects without requests, so that
     * no test spends its rate limit on setting up.
     */
    Payments payments() {
        return new Payments(server.payments(), server.clock(), new SecureRandom());
    }

    HttpResponse<String> get(String pathAndQuery, ApiKey key, String... headers) {
        return send("GET", pathAndQuery, key, null, HttpRequest.BodyPublishers.noBody(), headers);
    }

    /** A POST of {@code json} as {@code application/json}. */
    HttpResponse<String> post(String path, ApiKey key, String json, String... headers) {
        return send("POST", path, key, JSON, HttpRequest.BodyPublishers.ofString(json), headers);
    }

    HttpResponse<String> post(String path, ApiKey key, JsonObject json, String... headers) {
        return post(path, key, json.encode(), headers);
    }

    /** Any request; a null {@code contentType} sends none. */
    HttpResponse<String> send(String method, String pathAndQuery, ApiKey key, String contentType,
            HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.https(pathAndQuery)).method(method, body);
        if (key != null) {
            request.header("Authorization", TestServer.bearer(key));
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return server.send(request);
    }

    /** {@code POST /api/v1/payments}, checked to be {@code 201}; the payment. */
    JsonObject createPayment(ApiKey key, long amount, String currency, String... headers) {
        return created(post("/api/v1/payments", key, new JsonObject().put("amount", amount).put("currency", currency),
                headers));
    }

    /**
     * What a buyer does on the hosted checkout page: opens it and submits its {@code /pay} or
     * {@code /decline} form, with the form's CSRF token.
     */
    HttpResponse<String> checkout(JsonObject payment, String action) {
        java.net.URI page = java.net.URI.create(payment.getString("checkout_url"));
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"")
                .matcher(server.send(HttpRequest.newBuilder(page).GET()).body());
        assertThat(csrf.find()).as("the checkout page has a form").isTrue();
        return server.send(HttpRequest.newBuilder(server.https(page.getPath() + action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1))));
    }

    /** {@code POST /api/v1/customers}, checked to be {@code 201}; the customer. */
    JsonObject createCustomer(ApiKey key, String email) {
        return created(post("/api/v1/customers", key, new JsonObject().put("email", email)));
    }

    JsonObject getPayment(ApiKey key, String paymentId) {
        HttpResponse<String> response = get("/api/v1/payments/" + paymentId, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    /**
     * Every object of a list endpoint, following {@code starting_after} page by page with
     * {@code limit}; checks each page's shape and {@code has_more}.
     */
    List<String> listAll(String path, ApiKey key, int limit) {
        List<String> ids = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        for (int pages = 0; pages < 200; pages++) {
            HttpResponse<String> response = get(path + "?limit=" + limit
                    + cursor.map(id -> "&starting_after=" + id).orElse(""), key);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonObject page = new JsonObject(response.body());
            assertThat(page.getString("object")).isEqualTo("list");
            assertThat(page.getString("url")).isEqualTo(path);
            JsonArray data = page.getJsonArray("data");
            assertThat(data.size()).isLessThanOrEqualTo(limit);
            data.stream().map(item -> ((JsonObject) item).getString("id")).forEach(ids::add);
            if (!page.getBoolean("has_more")) {
                assertThat(ids).as("no object listed twice").doesNotHaveDuplicates();
                return ids;
            }
            assertThat(data.size()).as("a page with has_more is full").isEqualTo(limit);
            cursor = Optional.of(ids.get(ids.size() - 1));
        }
        throw new AssertionError("pagination of " + path + " did not end");
    }

    /** The ids on the first page of a list endpoint with {@code limit=100}. */
    List<String> listIds(String path, ApiKey key) {
        HttpResponse<String> response = get(path + "?limit=100", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getJsonArray("data").stream()
                .map(item -> ((JsonObject) item).getString("id")).toList();
    }

    /** Checks {@code 201} with a JSON object; returns it. */
    static JsonObject created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(TestServer.header(response, "Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith(JSON));
        return new JsonObject(response.body());
    }

    /** Checks {@code 400 invalid_request} naming {@code param}; returns the problem. */
    static JsonObject invalid(HttpResponse<String> response, String param) {
        JsonObject problem = TestServer.problem(response, 400, "invalid_request");
        assertThat(problem.getString("param")).as("param of %s", response.body()).isEqualTo(param);
        return problem;
    }

    /**
     * Runs {@code task(i)} for i in 0..threads-1, each on its own thread, all released at once by a
     * start gate; returns their results in order of i.
     */
    static <T> List<T> concurrently(int threads, IntFunction<T> task) {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(executor.submit((Callable<T>) () -> {
                    ready.countDown();
                    go.await();
                    return task.apply(index);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).as("all threads at the gate").isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } catch (Exception e) {
            throw new AssertionError("a concurrent request failed", e);
        } finally {
            executor.shutdownNow();
        }
    }
}
