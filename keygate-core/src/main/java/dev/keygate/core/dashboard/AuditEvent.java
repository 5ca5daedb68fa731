package dev.keygate.core.dashboard;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who did what to which key, when, from where (SPEC section 8).
 *
 * @param actor  the email of who acted, or {@code cli} for the admin CLI
 * @param action such as {@code key.created}, {@code key.deleted}, {@code login.succeeded}
 */
public record AuditEvent(String accountId, String actor, String action, Optional<String> keyId, String ip,
        Instant at) {
    public AuditEvent {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(actor);
        Objects.requireNonNull(action);
        Objects.requireNonNull(keyId);
        Objects.requireNonNull(ip);
        Objects.requireNonNull(at);
    }
}
