package dev.keygate.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's traffic: API calls at a steady rate spread over the nodes' ports (ping 35 %, create
 * payment with an {@code Idempotency-Key} 25 %, get payment 20 %, list 20 %) on the bulk
 * accounts, a ping every {@code limitedEveryMillis} on each limited account, and an owner in the
 * dashboard every {@code dashboardEveryMillis} (log in, create, rotate or delete a key).
 */
final class Load {

    private static final Pattern PAYMENT_ID = Pattern.compile("\"id\"\\s*:\\s*\"(pay_test_[0-9A-Za-z]+)\"");
    /**
     * Requests in flight at most ({@code SOAK_IN_FLIGHT}, default 256): beyond it a request is not
     * sent and counted as {@code skipped_in_flight_cap}, so that a machine that cannot keep up sees
     * a lower rate, reported, rather than a pile of connections that drowns every node.
     */
    private static final int MAX_IN_FLIGHT = Integer.parseInt(System.getenv().getOrDefault("SOAK_IN_FLIGHT", "256"));

    private final HttpClient http;
    private final List<URI> nodes;
    private final List<Account> bulk;
    private final List<Account> limited;
    private final Ledger ledger;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    Load(HttpClient http, List<URI> nodes, List<Account> bulk, List<Account> limited, Ledger ledger) {
        this.http = http;
        this.nodes = nodes;
        this.bulk = bulk;
        this.limited = limited;
        this.ledger = ledger;
    }

    /**
     * Opens connections to every node before the load starts, a few at a time, so that the run
     * does not begin with a storm of TLS handshakes that only the generator causes.
     */
    void warmUp(int requestsPerNode) throws InterruptedException {
        Semaphore parallel = new Semaphore(8);
        List<Thread> pings = new ArrayList<>();
        for (int i = 0; i < requestsPerNode * nodes.size(); i++) {
            parallel.acquire();
            Key key = bulk.get(i % bulk.size()).publicKey;
            pings.add(Thread.ofVirtual().start(() -> {
                try {
                    status(key, "/api/v1/ping");
                } finally {
                    parallel.release();
                }
            }));
        }
        for (Thread ping : pings) {
            ping.join();
        }
    }

    /** Sends {@code rate} API requests a second for {@code seconds}, with the limited and dashboard traffic beside. */
    void run(int seconds, int rate, long limitedEveryMillis, long dashboardEveryMillis, Duration mailWait)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        Thread dashboard = Thread.ofVirtual().start(() -> dashboard(end, dashboardEveryMillis, mailWait));
        long sent = 0;
        long nextLimited = start;
        while (System.nanoTime() < end) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            for (; sent < due; sent++) {
                launch(this::bulkCall);
            }
            if (System.nanoTime() >= nextLimited) {
                for (Account account : limited) {
                    launch(() -> call("limited_ping", account.anySecret(), "GET", "/api/v1/ping", null, true));
                }
                nextLimited += limitedEveryMillis * 1_000_000L;
            }
            Thread.sleep(5);
        }
        dashboard.join();
        inFlight.acquire(MAX_IN_FLIGHT); // every request answered or timed out
        inFlight.release(MAX_IN_FLIGHT);
    }

    private void launch(Runnable call) {
        if (!inFlight.tryAcquire()) {
            ledger.count("skipped_in_flight_cap");
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                call.run();
            } finally {
                inFlight.release();
            }
        });
    }

    private void bulkCall() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Account account = bulk.get(random.nextInt(bulk.size()));
        int roll = random.nextInt(100);
        if (roll < 35) {
            call("ping", random.nextBoolean() ? account.publicKey : account.anySecret(), "GET", "/api/v1/ping", null, false);
        } else if (roll < 60) {
            String body = "{\"amount\":" + (1_000 + random.nextInt(9_000)) + "00,\"currency\":\"usd\"}";
            String answer = call("create_payment", random.nextInt(4) == 0 ? account.publicKey : account.anySecret(),
                    "POST", "/api/v1/payments", body, false);
            Matcher id = answer == null ? null : PAYMENT_ID.matcher(answer);
            if (id != null && id.find()) {
                ledger.createdPayments.put(id.group(1), account);
                account.paid(id.group(1));
            }
        } else if (roll < 80) {
            String payment = account.anyPayment();
            if (payment != null) {
                call("get_payment", account.anySecret(), "GET", "/api/v1/payments/" + payment, null, false);
            }
        } else {
            call("list_payments", account.anySecret(), "GET", "/api/v1/payments?limit=10", null, false);
        }
    }

    /**
     * Reads back up to {@code sample} of the payments answered {@code 201}, each from a random node
     * with its account's first key (never deleted); returns how many did not answer {@code 200}.
     */
    long readBack(int sample) throws InterruptedException {
        List<Map.Entry<String, Account>> created = new ArrayList<>(ledger.createdPayments.entrySet());
        Collections.shuffle(created);
        AtomicLong missing = new AtomicLong();
        Semaphore parallel = new Semaphore(16);
        List<Thread> readers = new ArrayList<>();
        for (var payment : created.subList(0, Math.min(sample, created.size()))) {
            parallel.acquire();
            readers.add(Thread.ofVirtual().start(() -> {
                try {
                    int status = 0;
                    for (int attempt = 0; attempt < 3 && status != 200 && status != 404; attempt++) {
                        status = status(payment.getValue().keys.get(0), "/api/v1/payments/" + payment.getKey());
                    }
                    if (status != 200) {
                        missing.incrementAndGet();
                        System.err.println("soak: payment " + payment.getKey() + " read back: " + status);
                    }
                } finally {
                    parallel.release();
                }
            }));
        }
        for (Thread reader : readers) {
            reader.join();
        }
        return missing.get();
    }

    private int status(Key key, String path) {
        URI node = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
        try {
            return http.send(HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + key.value).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** One API request to a random node; returns the body of a 201, else null. */
    private String call(String op, Key key, String method, String path, String body, boolean limitedAccount) {
        int node = ThreadLocalRandom.current().nextInt(nodes.size());
        HttpRequest.Builder request = HttpRequest.newBuilder(nodes.get(node).resolve(path))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + key.value);
        if (body != null) {
            request.header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        long sent = System.currentTimeMillis();
        int status = 0;
        String answer = null;
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            answer = status == 201 ? response.body() : null;
        } catch (IOException e) {
            // No answer: counted by the ledger as such.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ledger.answer(op, new Ledger.Seen(sent, System.currentTimeMillis(), nodes.get(node).getPort(), status, key),
                limitedAccount);
        return answer;
    }

    /** An owner at a time in the dashboard, until {@code end}: log in, create, rotate or delete a key. */
    private void dashboard(long end, long everyMillis, Duration mailWait) {
        int turn = 0;
        while (System.nanoTime() < end) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            // A few owners, so that each gets keys to rotate and delete within a short run.
            Account account = bulk.get(turn++ % Math.min(3, bulk.size()));
            URI node = nodes.get(random.nextInt(nodes.size()));
            List<Key> disposable = account.keys.stream().filter(k -> k.disposable).toList();
            int roll = random.nextInt(100);
            String action = roll < 30 ? "login" : roll < 55 || disposable.isEmpty() ? "create"
                    : roll < 80 || disposable.size() < 3 ? "rotate" : "delete";
            try {
                switch (action) {
                    case "login" -> account.owner.logIn(node);
                    case "create" -> {
                        String name = "soak-" + ++account.made;
                        String[] made = account.owner.createKey(node, name);
                        account.keys.add(new Key(made[0], account, true, true, made[1], System.currentTimeMillis()));
                    }
                    case "rotate" -> {
                        Key old = disposable.stream().filter(k -> !k.rotated).findAny().orElse(disposable.get(0));
                        old.rotated = true;
                        String[] made = account.owner.rotate(node, old.id, mailWait);
                        account.keys.add(new Key(made[0], account, true, true, made[1], System.currentTimeMillis()));
                    }
                    default -> {
                        Key doomed = disposable.get(random.nextInt(disposable.size()));
                        account.keys.remove(doomed);
                        doomed.invalidFrom = System.currentTimeMillis();
                        account.owner.delete(node, doomed.id);
                    }
                }
                ledger.count("dashboard_" + action + "_ok");
            } catch (Exception e) {
                ledger.count("dashboard_" + action + "_failed");
                if (account.owner.lastStatus >= 500) {
                    ledger.answer("dashboard", new Ledger.Seen(System.currentTimeMillis(), System.currentTimeMillis(),
                            node.getPort(), account.owner.lastStatus, null), false);
                }
                System.err.println("soak: dashboard " + action + " on :" + node.getPort() + " failed: " + e.getMessage());
            }
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
