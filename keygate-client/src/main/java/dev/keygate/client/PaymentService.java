package dev.keygate.client;

import com.fasterxml.jackson.databind.JavaType;
import java.util.Map;
import java.util.Objects;

/**
 * Payments and their refunds (SPEC section 5), from {@link KeygateClient#payments()}. Creating a
 * payment works with a publishable or a secret key; everything else needs a secret key (a
 * publishable one gets {@link PermissionException}).
 *
 * <pre>{@code
 * Payment payment = client.payments().create(PaymentCreateParams.builder().amount(2000).currency("usd").build());
 * Refund refund = client.payments().refund(payment.id(), RefundCreateParams.amount(500));
 * }</pre>
 */
public final class PaymentService {

    static final String PATH = "/api/v1/payments";
    private static final JavaType PAYMENT = Json.type(Payment.class);
    private static final JavaType REFUND = Json.type(Refund.class);
    private static final JavaType PAGE = Json.pageOf(Payment.class);

    private final Transport transport;

    PaymentService(Transport transport) {
        this.transport = transport;
    }

    /** Initiates a payment: {@code 201}, status {@code pending} (or decided at once in test mode) and a {@code checkout_url}. */
    public Payment create(PaymentCreateParams params) {
        return create(params, RequestOptions.defaults());
    }

    public Payment create(PaymentCreateParams params, RequestOptions options) {
        return transport.post(PATH, Objects.requireNonNull(params, "params").body(), options(options), PAYMENT);
    }

    /** The payment with this id; {@link InvalidRequestException} {@code 404 resource_missing} if this account and environment has none. */
    public Payment retrieve(String id) {
        return retrieve(id, RequestOptions.defaults());
    }

    public Payment retrieve(String id, RequestOptions options) {
        return transport.get(PATH + "/" + Transport.segment(id), Map.of(), options(options), PAYMENT);
    }

    /** The newest payments, {@value ListParams#DEFAULT_LIMIT} of them. */
    public Page<Payment> list() {
        return list(ListParams.defaults());
    }

    /** One page of payments, newest first. */
    public Page<Payment> list(ListParams params) {
        return list(params, RequestOptions.defaults());
    }

    public Page<Payment> list(ListParams params, RequestOptions options) {
        return transport.get(PATH, Objects.requireNonNull(params, "params").query(), options(options), PAGE);
    }

    /** Every payment, newest first, fetched page by page as the iteration goes. */
    public AutoPagingIterable<Payment> listAll() {
        return listAll(ListParams.defaults());
    }

    /** Every payment from {@code params}' cursor on, in pages of {@code params}' limit. */
    public AutoPagingIterable<Payment> listAll(ListParams params) {
        return listAll(params, RequestOptions.defaults());
    }

    public AutoPagingIterable<Payment> listAll(ListParams params, RequestOptions options) {
        Objects.requireNonNull(params, "params");
        RequestOptions checked = options(options);
        return new AutoPagingIterable<>(params, page -> list(page, checked), Payment::id);
    }

    /** Refunds all that is left of a succeeded payment. */
    public Refund refund(String paymentId) {
        return refund(paymentId, RefundCreateParams.full(), RequestOptions.defaults());
    }

    /** Refunds all or part of a succeeded payment. */
    public Refund refund(String paymentId, RefundCreateParams params) {
        return refund(paymentId, params, RequestOptions.defaults());
    }

    public Refund refund(String paymentId, RefundCreateParams params, RequestOptions options) {
        return transport.post(PATH + "/" + Transport.segment(paymentId) + "/refunds",
                Objects.requireNonNull(params, "params").body(), options(options), REFUND);
    }

    private static RequestOptions options(RequestOptions options) {
        return Objects.requireNonNull(options, "options");
    }
}
