package dev.keygate.payments;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.Scope;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The payments API's rules (SPEC section 5): what a payment, refund or customer may be, how test
 * mode decides an outcome, and which ids objects get. Storage is the {@link PaymentStore}'s; HTTP
 * is the server's.
 *
 * <pre>{@code
 * Payment payment = payments.create(scope, new NewPayment(1000, "usd", …), p -> Optional.empty());
 * }</pre>
 */
public final class Payments {

    /** Highest amount accepted, in minor units (999,999.99 in a two-decimal currency). */
    public static final long MAX_AMOUNT = 99_999_999L;
    public static final int MAX_DESCRIPTION_LENGTH = 1_000;
    public static final int MAX_METADATA_ENTRIES = 20;
    public static final int MAX_METADATA_KEY_LENGTH = 40;
    public static final int MAX_METADATA_VALUE_LENGTH = 500;
    public static final int MAX_NAME_LENGTH = 200;
    /** Page size of lists when none is asked for, and the most allowed. */
    public static final int DEFAULT_LIST_LIMIT = 10;
    public static final int MAX_LIST_LIMIT = 100;
    /** Why a test-mode payment whose amount ends in 02 fails. */
    public static final String CARD_DECLINED = "card_declined";

    private final PaymentStore store;
    private final Clock clock;
    private final RandomGenerator random;

    /** {@code random} must be a {@code SecureRandom}: it draws ids and checkout tokens. */
    public Payments(PaymentStore store, Clock clock, RandomGenerator random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Initiates a payment. In test mode the amount decides the outcome, as a sandbox does: ending
     * in {@code 00} succeeds, in {@code 02} fails with {@code card_declined}, anything else stays
     * pending until its checkout page is completed. Live payments stay pending.
     *
     * @param idempotency the response to keep with it, made from the new payment
     * @throws InvalidInputException naming the offending field
     */
    public Payment create(Scope scope, NewPayment request, Function<Payment, Optional<IdempotentResponse>> idempotency) {
        if (request.amount() < 1 || request.amount() > MAX_AMOUNT) {
            throw new InvalidInputException("amount", "amount must be a whole number of minor units from 1 to "
                    + MAX_AMOUNT);
        }
        String currency = currency(request.currency());
        Optional<String> description = request.description().map(String::strip).filter(text -> !text.isEmpty());
        if (description.isPresent() && description.get().length() > MAX_DESCRIPTION_LENGTH) {
            throw new InvalidInputException("description", "description must be at most "
                    + MAX_DESCRIPTION_LENGTH + " characters");
        }
        checkMetadata(request.metadata());
        if (request.customerId().isPresent() && store.findCustomer(scope, request.customerId().get()).isEmpty()) {
            throw new InvalidInputException("customer", "no such customer: " + quoted(request.customerId().get(), "cus"));
        }
        PaymentStatus status = PaymentStatus.PENDING;
        Optional<String> failure = Optional.empty();
        if (scope.environment() == Environment.TEST && request.amount() % 100 == 0) {
            status = PaymentStatus.SUCCEEDED;
        } else if (scope.environment() == Environment.TEST && request.amount() % 100 == 2) {
            status = PaymentStatus.FAILED;
            failure = Optional.of(CARD_DECLINED);
        }
        Payment payment = new Payment(id("pay", scope), scope, request.amount(), currency, status, failure,
                description, request.customerId(), request.metadata(), 0,
                "cs_" + scope.label() + "_" + Base62.random(random, 32), now());
        store.insertPayment(payment, idempotency.apply(payment));
        return payment;
    }

    /** @throws NotFoundException if the scope has no such payment */
    public Payment find(Scope scope, String paymentId) {
        return store.findPayment(scope, paymentId)
                .orElseThrow(() -> new NotFoundException("No such payment: " + quoted(paymentId, "pay")));
    }

    /** One page of the scope's payments, newest first. */
    public Page<Payment> list(Scope scope, Optional<String> startingAfter, int limit) {
        return store.listPayments(scope, startingAfter, checkLimit(limit));
    }

    /**
     * Refunds {@code amount} (all that is left when empty) of a succeeded payment.
     *
     * @return the refund and the payment after it
     * @throws NotFoundException     if the scope has no such payment
     * @throws InvalidInputException if it is not succeeded, or the amount is more than is left
     */
    public RefundResult refund(Scope scope, String paymentId, OptionalLong amount,
            Function<Refund, Optional<IdempotentResponse>> idempotency) {
        Payment payment = find(scope, paymentId);
        if (payment.status() != PaymentStatus.SUCCEEDED) {
            throw new InvalidInputException("payment", "only a succeeded payment can be refunded; " + quoted(paymentId, "pay")
                    + " is " + payment.status().label());
        }
        long left = payment.amount() - payment.amountRefunded();
        long refundAmount = amount.orElse(left);
        if (left == 0) {
            throw new InvalidInputException("payment", paymentId + " is already fully refunded");
        }
        if (refundAmount < 1 || refundAmount > left) {
            throw new InvalidInputException("amount", "amount must be from 1 to " + left
                    + ", what is left to refund of " + paymentId);
        }
        Refund refund = new Refund(id("re", scope), scope, paymentId, refundAmount, payment.currency(), now());
        Payment after = store.insertRefund(refund, idempotency.apply(refund)).orElseThrow(() ->
                new InvalidInputException("amount", "amount is more than is left to refund of " + paymentId));
        return new RefundResult(refund, after);
    }

    /** A refund and the payment after it. */
    public record RefundResult(Refund refund, Payment payment) {}

    /** Balances of the scope, per currency. */
    public Balance balance(Scope scope) {
        return store.balance(scope);
    }

    /**
     * Completes the hosted checkout page of a test payment: paid or declined by the customer.
     *
     * @throws NotFoundException     if no payment has this checkout token
     * @throws InvalidInputException if it is a live payment or not pending any more
     */
    public Payment checkout(String token, boolean pay) {
        Payment payment = findByCheckoutToken(token);
        if (payment.scope().environment() != Environment.TEST) {
            throw new InvalidInputException("payment", "live payments are completed by a payment processor, "
                    + "and none is connected to this Keygate");
        }
        PaymentStatus status = pay ? PaymentStatus.SUCCEEDED : PaymentStatus.FAILED;
        Optional<String> failure = pay ? Optional.empty() : Optional.of(CARD_DECLINED);
        if (!store.completePayment(payment.id(), status, failure)) {
            throw new InvalidInputException("payment", "this payment is " + payment.status().label()
                    + " already");
        }
        return findByCheckoutToken(token);
    }

    /** @throws NotFoundException if no payment has this checkout token */
    public Payment findByCheckoutToken(String token) {
        return store.findPaymentByCheckoutToken(token)
                .orElseThrow(() -> new NotFoundException("No such checkout page"));
    }

    /**
     * Adds a customer.
     *
     * @throws InvalidInputException for a bad email or name
     */
    public Customer createCustomer(Scope scope, String email, Optional<String> name,
            Function<Customer, Optional<IdempotentResponse>> idempotency) {
        String normalized = Accounts.normalizeEmail(email);
        Optional<String> cleanName = name.map(String::strip).filter(n -> !n.isEmpty());
        if (cleanName.isPresent() && cleanName.get().length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException("name", "name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        Customer customer = new Customer(id("cus", scope), scope, normalized, cleanName, now());
        store.insertCustomer(customer, idempotency.apply(customer));
        return customer;
    }

    /** @throws NotFoundException if the scope has no such customer */
    public Customer findCustomer(Scope scope, String customerId) {
        return store.findCustomer(scope, customerId)
                .orElseThrow(() -> new NotFoundException("No such customer: " + quoted(customerId, "cus")));
    }

    public Page<Customer> listCustomers(Scope scope, Optional<String> startingAfter, int limit) {
        return store.listCustomers(scope, startingAfter, checkLimit(limit));
    }

    /** The ISO 4217 code, upper-case, of a currency that has minor units. */
    static String currency(String code) {
        if (code != null && code.length() == 3) {
            String upper = code.toUpperCase(Locale.ROOT);
            try {
                Currency currency = Currency.getInstance(upper);
                // Gold, test and "no currency" codes (XAU, XTS, XXX) have no minor unit.
                if (currency.getDefaultFractionDigits() >= 0) {
                    return upper;
                }
            } catch (IllegalArgumentException notIso) {
                // reported below
            }
        }
        throw new InvalidInputException("currency", "currency must be an ISO 4217 code such as USD, EUR or XOF");
    }

    private static void checkMetadata(Map<String, String> metadata) {
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new InvalidInputException("metadata", "metadata may have at most " + MAX_METADATA_ENTRIES
                    + " entries");
        }
        metadata.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH) {
                throw new InvalidInputException("metadata", "metadata keys must be 1 to " + MAX_METADATA_KEY_LENGTH
                        + " characters");
            }
            if (value.length() > MAX_METADATA_VALUE_LENGTH) {
                throw new InvalidInputException("metadata[" + key + "]", "metadata values must be at most "
                        + MAX_METADATA_VALUE_LENGTH + " characters");
            }
        });
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw new InvalidInputException("limit", "limit must be from 1 to " + MAX_LIST_LIMIT);
        }
        return limit;
    }

    /**
     * An id a client sent, fit to repeat in a message: as it is when it has the shape of an id of
     * this kind, else a placeholder, so that an error never echoes what may be a secret pasted in
     * the wrong field.
     */
    static String quoted(String id, String prefix) {
        return ID_SHAPE.matcher(id).matches() && id.startsWith(prefix + "_") ? id : "(not a " + prefix + "_ id)";
    }

    private static final java.util.regex.Pattern ID_SHAPE =
            java.util.regex.Pattern.compile("[a-z]{2,3}_(test|live)_[0-9A-Za-z]{16}");

    private String id(String prefix, Scope scope) {
        return prefix + "_" + scope.label() + "_" + Base62.random(random, 16);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
