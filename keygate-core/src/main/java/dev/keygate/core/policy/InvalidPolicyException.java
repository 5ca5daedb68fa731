package dev.keygate.core.policy;

import dev.keygate.core.InvalidInputException;
import java.util.Map;

/** A key policy breaks rules of SPEC section 12; {@link #fieldErrors()} has one message per offending field. */
public final class InvalidPolicyException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> fieldErrors;

    InvalidPolicyException(Map<String, String> fieldErrors) {
        super(fieldErrors.keySet().iterator().next(), String.join("; ", fieldErrors.values()));
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    /** Field name ({@code permissions}, {@code allowed_ips}, {@code expires_in}, {@code per_minute}) to message, for a form. */
    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
