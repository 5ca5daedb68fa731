package dev.keygate.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the soak saw, kept as it happens and judged at the end against the fault windows the run
 * script wrote ({@code pg START END}, {@code redis START END}, {@code kill PORT START END}, epoch
 * milliseconds): the figures of the last line, {@code lost_writes= over_admitted= false_401=
 * http_5xx_outside_faults= rss_growth_mb=} (the last one measured by the script).
 */
final class Ledger {

    /** A response or a failure, with when it was sent and received. */
    record Seen(long sent, long received, int port, int status, Key key) {}

    /** A fault from start to end; {@code port} 0 for all nodes. */
    record Fault(String kind, int port, long start, long end) {
        boolean covers(Seen seen, long graceMillis) {
            return (port == 0 || port == seen.port) && seen.received >= start && seen.sent <= end + graceMillis;
        }
    }

    private final Map<String, LongAdder> tally = new ConcurrentHashMap<>();
    private final Collection<Seen> failures = new ConcurrentLinkedQueue<>();
    private final Collection<Seen> refused = new ConcurrentLinkedQueue<>();
    private final Map<String, Collection<Seen>> accepted = new ConcurrentHashMap<>();
    /** Every payment answered {@code 201}, with its account. */
    final Map<String, Account> createdPayments = new ConcurrentHashMap<>();

    void count(String what) {
        tally.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    /** One API answer: {@code status} 0 for no answer (connection refused, reset, timed out). */
    void answer(String op, Seen seen, boolean limited) {
        count(op + "_" + (seen.status == 0 ? "noanswer" : String.valueOf(seen.status)));
        if (seen.status >= 500 || seen.status == 0) {
            failures.add(seen);
        } else if (seen.status == 401) {
            refused.add(seen);
        } else if (limited && seen.status < 300) {
            accepted.computeIfAbsent(seen.key.account.id, a -> new ConcurrentLinkedQueue<>()).add(seen);
        }
    }

    static List<Fault> faults(Path file) throws IOException {
        List<Fault> faults = new ArrayList<>();
        for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                faults.add(new Fault(f[0], 0, Long.parseLong(f[1]), Long.parseLong(f[2])));
            } else if (f.length == 4) {
                faults.add(new Fault(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
            }
        }
        return faults;
    }

    /** 5xx (and no answer, counted apart) outside every fault window and its grace. */
    long[] failuresOutside(List<Fault> faults, long graceMillis) {
        long http5xx = 0;
        long noAnswer = 0;
        for (Seen seen : failures) {
            if (faults.stream().noneMatch(f -> f.covers(seen, graceMillis))) {
                if (seen.status == 0) {
                    noAnswer++;
                } else {
                    http5xx++;
                }
                System.err.printf("soak: outside faults: %s at %d ms (answered after %d ms) on :%d%n",
                        seen.status == 0 ? "no answer" : String.valueOf(seen.status), seen.sent, seen.received - seen.sent,
                        seen.port);
            }
        }
        return new long[] {http5xx, noAnswer};
    }

    /** 401s for a key that was issued before the request left and not yet deleted when its answer came. */
    long false401() {
        return refused.stream().filter(s -> s.key.validFrom <= s.sent && s.key.invalidFrom > s.received).count();
    }

    /**
     * Per limited account, the most requests accepted beyond what SPEC section 4 allows in a
     * 60-second window, summed. Lower bound, never a false alarm: the window anchored at a request
     * holds the later ones answered within 60 s of its sending, all decided inside those 60 s. A
     * window touching a Redis outage (with its grace) may hold the limit plus limit / node count.
     */
    long overAdmitted(int limit, int nodes, List<Fault> faults, long graceMillis) {
        long total = 0;
        for (Collection<Seen> seens : accepted.values()) {
            List<Seen> sorted = new ArrayList<>(seens);
            sorted.sort((a, b) -> Long.compare(a.sent, b.sent));
            long worst = 0;
            for (int i = 0; i < sorted.size(); i++) {
                long windowEnd = sorted.get(i).sent + 60_000;
                int count = 0;
                for (int j = i; j < sorted.size() && sorted.get(j).sent < windowEnd; j++) {
                    if (sorted.get(j).received < windowEnd) {
                        count++;
                    }
                }
                long start = sorted.get(i).sent;
                boolean outage = faults.stream().anyMatch(f -> f.kind.equals("redis")
                        && f.start < windowEnd && f.end + graceMillis > start);
                worst = Math.max(worst, count - (limit + (outage ? limit / nodes : 0)));
            }
            total += worst;
        }
        return total;
    }

    /** How many limited accounts had a request accepted, for the report. */
    int acceptedAccounts() {
        return accepted.size();
    }

    Map<String, Long> tally() {
        Map<String, Long> sorted = new TreeMap<>();
        tally.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }
}
