package dev.keygate.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runs the limiter's Lua scripts on one pipelined Redis connection, so that a burst of requests
 * never waits for connections to open: EVALSHA, loading a script on first use and again after
 * Redis lost it (a restart).
 */
final class LuaScripts {

    private final Redis client;
    private final AtomicReference<Future<RedisConnection>> connection = new AtomicReference<>();
    private final Map<String, String> sources = new ConcurrentHashMap<>();
    private final Map<String, String> shas = new ConcurrentHashMap<>();

    LuaScripts(Redis client) {
        this.client = Objects.requireNonNull(client);
    }

    /** Runs the script in resource {@code name} on {@code key}. */
    Future<Response> eval(String name, String key, List<String> args) {
        String sha = shas.get(name);
        Future<Response> answer = sha == null
                ? load(name).compose(loaded -> evalsha(loaded, key, args))
                : evalsha(sha, key, args);
        return answer.recover(failure -> failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")
                ? load(name).compose(loaded -> evalsha(loaded, key, args))
                : Future.failedFuture(failure));
    }

    /** Loads the script in resource {@code name}; returns its SHA-1. */
    Future<String> load(String name) {
        String source = sources.computeIfAbsent(name, LuaScripts::read);
        return api().compose(redis -> redis.script(List.of("LOAD", source))).map(response -> {
            shas.put(name, response.toString());
            return response.toString();
        });
    }

    Future<Void> ping() {
        return api().compose(redis -> redis.ping(List.of())).mapEmpty();
    }

    private Future<Response> evalsha(String sha, String key, List<String> args) {
        return api().compose(redis -> redis.evalsha(Stream.concat(Stream.of(sha, "1", key), args.stream()).toList()));
    }

    /** The shared connection, opened again after it failed or closed. */
    private Future<RedisAPI> api() {
        Future<RedisConnection> current = connection.get();
        if (current == null || current.failed()) {
            Future<RedisConnection> fresh = client.connect();
            if (connection.compareAndSet(current, fresh)) {
                fresh.onSuccess(opened -> {
                    opened.exceptionHandler(failure -> connection.compareAndSet(fresh, null));
                    opened.endHandler(ended -> connection.compareAndSet(fresh, null));
                });
                current = fresh;
            } else {
                current = connection.get();
                if (current == null) {
                    return api();
                }
            }
        }
        return current.map(RedisAPI::api);
    }

    private static String read(String name) {
        try (InputStream in = LuaScripts.class.getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
