package dev.keygate.core.policy;

/** What a request does to a resource: reads it ({@code GET}, {@code HEAD}) or changes it (SPEC section 11). */
public enum Operation {
    READ,
    WRITE;

    /** {@link #READ} for {@code GET} and {@code HEAD}, {@link #WRITE} for every other method. */
    public static Operation ofMethod(String method) {
        return "GET".equals(method) || "HEAD".equals(method) ? READ : WRITE;
    }
}
