package dev.keygate.core.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A restricted key's permissions (SPEC section 12): a level per resource, {@code none} for any
 * resource not named. The built-in resources are {@link #BUILT_IN}; the gateway adds each route's
 * {@code resource}.
 *
 * <pre>{@code
 * Permissions permissions = Permissions.parse("payments:write,customers:read");
 * permissions.authorize("refunds", Operation.WRITE);   // Lacking("refunds:write")
 * }</pre>
 */
public final class Permissions {

    /** The reference API's resources. */
    public static final List<String> BUILT_IN = List.of("payments", "refunds", "customers", "balance");
    /** What a resource name may be: lowercase letters, digits, {@code _} and {@code -}, starting with a letter. */
    static final Pattern RESOURCE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    /** No permission on anything. */
    public static final Permissions NONE = new Permissions(Map.of());

    private final Map<String, Permission> levels;

    private Permissions(Map<String, Permission> levels) {
        this.levels = levels;
    }

    /**
     * The permissions given; {@code none} entries are dropped.
     *
     * @throws IllegalArgumentException for a resource name that cannot be one
     */
    public static Permissions of(Map<String, Permission> levels) {
        Map<String, Permission> kept = new LinkedHashMap<>();
        levels.forEach((resource, level) -> {
            if (!RESOURCE_NAME.matcher(resource).matches()) {
                throw new IllegalArgumentException("\"" + resource + "\" is not a resource name");
            }
            if (level != Permission.NONE) {
                kept.put(resource, level);
            }
        });
        return new Permissions(Collections.unmodifiableMap(kept));
    }

    /**
     * Parses the CLI's form, {@code resource:level} pairs separated by commas, such as
     * {@code payments:write,customers:read}; blank is no permission.
     *
     * @throws IllegalArgumentException for a pair that is not {@code resource:none|read|write}
     *     or a resource named twice
     */
    public static Permissions parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, Permission> levels = new LinkedHashMap<>();
        for (String pair : text.split(",", -1)) {
            String item = pair.strip();
            int colon = item.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("\"" + item + "\" is not resource:none|read|write");
            }
            String resource = item.substring(0, colon);
            Permission level;
            try {
                level = Permission.fromLabel(item.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"" + item + "\" is not resource:none|read|write");
            }
            if (levels.put(resource, level) != null) {
                throw new IllegalArgumentException("the resource " + resource + " is named twice");
            }
        }
        return of(levels);
    }

    /** The level on {@code resource}: {@code none} unless given. */
    public Permission level(String resource) {
        return levels.getOrDefault(resource, Permission.NONE);
    }

    /** Whether a request doing {@code operation} on {@code resource} is allowed; allocates nothing when it is. */
    public Authorization authorize(String resource, Operation operation) {
        if (level(resource).allows(operation)) {
            return Authorization.GRANTED;
        }
        return new Authorization.Lacking(resource + ":" + (operation == Operation.READ ? "read" : "write"));
    }

    /** The resources with a level above {@code none}, in the order given. */
    public Map<String, Permission> levels() {
        return levels;
    }

    /** The CLI's form, such as {@code payments:write,customers:read}; empty for no permission. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        levels.forEach((resource, level) -> {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(resource).append(':').append(level.label());
        });
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Permissions that && levels.equals(that.levels);
    }

    @Override
    public int hashCode() {
        return levels.hashCode();
    }
}
