package dev.keygate.server.dashboard;

import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.keyformat.KeyType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What the dashboard's templates show: plain values, formatted for the page. */
public final class Views {

    /** How every page writes a time. */
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Views() {}

    /**
     * What every signed-in page shows: who, which environment, the form token, and a notice: a
     * problem with what was asked ({@code notice}, shown as an alert) or what was done
     * ({@code done}, shown as a success message); either may be null.
     */
    public record Frame(String accountName, String email, boolean live, boolean emailVerified, String csrf, String notice,
            String done, String active) {}

    /** A key as the list shows it. */
    public record KeyRow(String id, String name, String type, String masked, String created, String lastUsed,
            String status, String expires, boolean exposed, boolean publishable, boolean deleted, boolean rotated) {

        static KeyRow of(KeyRecord key, Instant now) {
            return new KeyRow(key.id(), key.name(), switch (key.type()) {
                        case SECRET -> "Secret";
                        case PUBLIC -> "Publishable";
                        case RESTRICTED -> "Restricted";
                    },
                    key.masked(), TIME.format(key.createdAt()), key.lastUsedAt().map(TIME::format).orElse("never"),
                    key.status(now).label(), key.expiresAt().map(TIME::format).orElse("never"),
                    key.exposedAt().isPresent(), key.type() == KeyType.PUBLIC, key.revokedAt().isPresent(),
                    // Only a rotation gives a key an expiry: keys are created without one.
                    key.expiresAt().isPresent());
        }
    }

    /** A key just created, shown once. */
    public record NewKey(String value, String type, String name, String environment) {}

    public record RequestRow(String time, String keyId, String method, String path, int status, String ip,
            String requestId) {

        static RequestRow of(RequestLogEntry entry) {
            return new RequestRow(TIME.format(entry.at()), entry.keyId(), entry.method(), entry.path(), entry.status(),
                    entry.ip(), entry.requestId());
        }
    }

    public record AuditRow(String time, String actor, String action, String keyId, String ip) {

        static AuditRow of(AuditEvent event) {
            return new AuditRow(TIME.format(event.at()), event.actor(), event.action(), event.keyId().orElse(""),
                    event.ip());
        }
    }

    /** A grace period as the rotation form offers it. */
    public record GraceOption(String value, String label, boolean selected) {}
}
