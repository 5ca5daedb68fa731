package dev.keygate.core.rotation;

import java.time.Duration;

/** How long the old key keeps working after a rotation (SPEC section 6). */
public enum GracePeriod {
    NOW("now", Duration.ZERO, "now"),
    ONE_HOUR("1h", Duration.ofHours(1), "1 hour"),
    ONE_DAY("24h", Duration.ofHours(24), "24 hours"),
    THREE_DAYS("3d", Duration.ofDays(3), "3 days"),
    SEVEN_DAYS("7d", Duration.ofDays(7), "7 days");

    private final String label;
    private final Duration duration;
    private final String description;

    GracePeriod(String label, Duration duration, String description) {
        this.label = label;
        this.duration = duration;
        this.description = description;
    }

    /** The form value and stored form: {@code now}, {@code 1h}, {@code 24h}, {@code 3d}, {@code 7d}. */
    public String label() {
        return label;
    }

    public Duration duration() {
        return duration;
    }

    /** For people: "24 hours". */
    public String description() {
        return description;
    }

    /** For the rotation mail: what happens to the old key once the code is entered. */
    public String oldKeyAfterConfirming() {
        return duration.isZero()
                ? "The old key will stop working as soon as you confirm."
                : "The old key will keep working for " + description + " after you confirm.";
    }

    public static GracePeriod fromLabel(String label) {
        for (GracePeriod period : values()) {
            if (period.label.equals(label)) {
                return period;
            }
        }
        throw new IllegalArgumentException("the grace period must be now, 1h, 24h, 3d or 7d");
    }
}
