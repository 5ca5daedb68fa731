package dev.keygate.payments;

import dev.keygate.core.ConflictException;
import dev.keygate.core.Scope;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.keyformat.KeyType;
import java.time.Instant;
import java.util.Optional;

/**
 * Where payments, refunds and customers live. Every read is bounded by a {@link Scope}: an object
 * of another account or environment is simply not found. A write that carries an
 * {@link IdempotentResponse} stores it in the same transaction, and throws
 * {@link ConflictException} if the scope already has a response under that key for the same key
 * type (a concurrent request won; nothing of this one is kept).
 *
 * <p>Every method may block and throws {@link StoreUnavailableException} when the database cannot answer.
 */
public interface PaymentStore {

    /**
     * The response kept under {@code key} in {@code scope} for requests made with a key of
     * {@code keyType}, if it was made at or after {@code notBefore}.
     */
    Optional<IdempotentResponse> findIdempotentResponse(Scope scope, KeyType keyType, String key, Instant notBefore);

    void insertPayment(Payment payment, Optional<IdempotentResponse> response);

    Optional<Payment> findPayment(Scope scope, String paymentId);

    /** The payment whose hosted checkout page has this token, in any scope. */
    Optional<Payment> findPaymentByCheckoutToken(String token);

    /**
     * Payments newest first, after the one with id {@code startingAfter} if given.
     *
     * @throws dev.keygate.core.InvalidInputException if {@code startingAfter} is not a payment of the scope
     */
    Page<Payment> listPayments(Scope scope, Optional<String> startingAfter, int limit);

    /**
     * Refunds {@code refund.amount()} of a succeeded payment, in one transaction with the refund's
     * record, unless that would refund more than was paid.
     *
     * @return the payment after the refund; empty if it was not refundable (not succeeded, or too much)
     */
    Optional<Payment> insertRefund(Refund refund, Optional<IdempotentResponse> response);

    /**
     * Moves a pending payment to {@code status}.
     *
     * @return false if it was not pending any more
     */
    boolean completePayment(String paymentId, PaymentStatus status, Optional<String> failureCode);

    Balance balance(Scope scope);

    void insertCustomer(Customer customer, Optional<IdempotentResponse> response);

    Optional<Customer> findCustomer(Scope scope, String customerId);

    /** Customers newest first, after {@code startingAfter} if given (same rules as payments). */
    Page<Customer> listCustomers(Scope scope, Optional<String> startingAfter, int limit);

    /** Forgets idempotent responses made before {@code before}. */
    int purgeIdempotentResponses(Instant before);
}
