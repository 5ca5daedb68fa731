package dev.keygate.client;

/**
 * The key is valid but may not do this ({@code 403}, SPEC section 3): a publishable key on a
 * secret-only route ({@code insufficient_permissions}), or a secret key sent with an {@code Origin}
 * header as browsers do ({@code secret_key_in_browser}).
 */
public class PermissionException extends KeygateException {

    private static final long serialVersionUID = 1L;

    public PermissionException(String detail, int statusCode, String code, String requestId, String param,
            Throwable cause) {
        super(detail, statusCode, code, requestId, param, cause);
    }
}
