package dev.keygate.core.policy;

import dev.keygate.keyformat.KeyType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Collects a key policy's fields as text and checks them all in {@link #build}, so that a form can
 * show every message next to its field. Field names: {@value #PERMISSIONS}, {@value #ALLOWED_IPS},
 * {@value #EXPIRES_IN}, {@value #PER_MINUTE}.
 */
public final class KeyPolicyBuilder {

    public static final String PERMISSIONS = "permissions";
    public static final String ALLOWED_IPS = "allowed_ips";
    public static final String EXPIRES_IN = "expires_in";
    public static final String PER_MINUTE = "per_minute";

    private final Map<String, Permission> levels = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private final Map<String, String> fieldErrors = new LinkedHashMap<>();
    private final List<String> allowIps = new ArrayList<>();
    private String expiresIn = KeyExpiry.DEFAULT.label();
    private OptionalInt perMinute = OptionalInt.empty();

    KeyPolicyBuilder() {}

    /** Permissions in the CLI's form, {@code payments:write,customers:read}; adds to those already set. */
    public KeyPolicyBuilder permissions(String text) {
        try {
            Permissions.parse(text).levels().forEach(this::putPermission);
        } catch (IllegalArgumentException e) {
            error(PERMISSIONS, "permissions: " + e.getMessage());
        }
        return this;
    }

    /** One resource's level, as the dashboard's permission matrix gives it. */
    public KeyPolicyBuilder permission(String resource, Permission level) {
        putPermission(resource, level);
        return this;
    }

    private void putPermission(String resource, Permission level) {
        if (levels.put(resource, level) != null) {
            error(PERMISSIONS, "permissions: the resource " + resource + " is named twice");
        }
    }

    /** One allowlist entry, a CIDR or a bare address; call once per entry. */
    public KeyPolicyBuilder allowIp(String cidr) {
        allowIps.add(cidr);
        return this;
    }

    /** {@code never}, {@code 7d}, {@code 30d}, {@code 90d} or {@code 365d}; {@code never} unless set. */
    public KeyPolicyBuilder expiresIn(String label) {
        this.expiresIn = label;
        return this;
    }

    /** The key's own limit in requests per 60 seconds; none unless set. */
    public KeyPolicyBuilder perMinute(int limit) {
        this.perMinute = OptionalInt.of(limit);
        return this;
    }

    /**
     * Checks every field and gives the policy.
     *
     * @param accountLimit the account's limit, which the key's own may not exceed
     * @param resources the resources permissions may name: {@link Permissions#BUILT_IN} and the routes'
     * @throws InvalidPolicyException with a message per field that breaks a rule
     */
    public KeyPolicy build(KeyType type, int accountLimit, Collection<String> resources) {
        Set<String> known = new LinkedHashSet<>(resources);
        Permissions permissions = Permissions.NONE;
        for (String resource : levels.keySet()) {
            if (!known.contains(resource)) {
                error(PERMISSIONS, "permissions: there is no resource named " + resource
                        + "; the resources are " + String.join(", ", known));
            }
        }
        if (!fieldErrors.containsKey(PERMISSIONS)) {
            permissions = Permissions.of(levels);
            if (!KeyPolicy.fits(type, permissions)) {
                error(PERMISSIONS, "permissions: only a restricted key has permissions; a " + type.label()
                        + " key has those of its type");
            }
        }
        CidrList allowed = allowedIps();
        KeyExpiry expiry = KeyExpiry.DEFAULT;
        try {
            expiry = KeyExpiry.fromLabel(expiresIn);
        } catch (IllegalArgumentException e) {
            error(EXPIRES_IN, "expires_in: " + e.getMessage());
        }
        if (perMinute.isPresent() && (perMinute.getAsInt() < 1 || perMinute.getAsInt() > accountLimit)) {
            error(PER_MINUTE, "per_minute: the key's own limit must be 1 to " + accountLimit
                    + " requests per 60 seconds (the account's limit)");
        }
        if (!fieldErrors.isEmpty()) {
            throw new InvalidPolicyException(fieldErrors);
        }
        return new KeyPolicy(permissions, allowed, expiry, perMinute);
    }

    private CidrList allowedIps() {
        if (allowIps.size() > KeyPolicy.MAX_ALLOWED_IPS) {
            error(ALLOWED_IPS, "allowed_ips: at most " + KeyPolicy.MAX_ALLOWED_IPS + " CIDRs, not "
                    + allowIps.size());
            return CidrList.EMPTY;
        }
        List<Cidr> cidrs = new ArrayList<>();
        for (String text : allowIps) {
            try {
                Cidr cidr = Cidr.parse(text == null ? null : text.strip());
                if (cidrs.contains(cidr)) {
                    error(ALLOWED_IPS, "allowed_ips: " + cidr + " is listed twice");
                }
                cidrs.add(cidr);
            } catch (IllegalArgumentException e) {
                error(ALLOWED_IPS, "allowed_ips: " + e.getMessage());
            }
        }
        return CidrList.of(cidrs);
    }

    /** Keeps the first message of each field: the one a form shows next to it. */
    private void error(String field, String message) {
        errors.add(message);
        fieldErrors.putIfAbsent(field, message);
    }
}
