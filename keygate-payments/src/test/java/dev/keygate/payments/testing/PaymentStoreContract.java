package dev.keygate.payments.testing;

import static dev.keygate.keyformat.KeyType.PUBLIC;
import static dev.keygate.keyformat.KeyType.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.ConflictException;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.Scope;
import dev.keygate.core.accounts.Account;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.payments.Balance;
import dev.keygate.payments.Customer;
import dev.keygate.payments.IdempotentResponse;
import dev.keygate.payments.Page;
import dev.keygate.payments.Payment;
import dev.keygate.payments.PaymentStatus;
import dev.keygate.payments.PaymentStore;
import dev.keygate.payments.PaymentStores;
import dev.keygate.payments.Refund;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PaymentStore} as its Javadoc states it, one suite for every database (the
 * shape of Bucket4j's {@code AbstractDistributedBucketTest}). A store module extends it once:
 *
 * <pre>{@code
 * class SqlitePaymentStoreTest extends PaymentStoreContract {
 *     @TempDir Path dir;
 *     @Override protected PaymentStores newStores() { return SqliteStores.open(dir.resolve("p.db")); }
 * }
 * }</pre>
 *
 * <p>{@link #newStores()} must return empty stores; they are opened before each test and closed
 * after it. Every object belongs to an account inserted first through the key store, and every
 * time has millisecond precision. The suite assumes nothing about how ties on {@code created_at}
 * are broken beyond a stable order that pagination follows without gaps or repeats.
 */
public abstract class PaymentStoreContract {

    /** A round instant with milliseconds, so that a store keeping epoch millis round-trips it. */
    protected static final Instant T0 = Instant.parse("2026-11-23T09:00:00.123Z");

    private final Random random = new Random(20261123);

    /** The stores under test; {@link #payments} is theirs. */
    protected PaymentStores stores;
    protected PaymentStore payments;

    private Scope test;
    private Scope live;
    private Scope otherTest;

    /** New, empty stores on one database. */
    protected abstract PaymentStores newStores();

    @BeforeEach
    void openStores() {
        stores = newStores();
        payments = stores.payments();
        String ada = account("ada@example.com");
        String bob = account("bob@example.com");
        test = new Scope(ada, Environment.TEST);
        live = new Scope(ada, Environment.LIVE);
        otherTest = new Scope(bob, Environment.TEST);
    }

    @AfterEach
    void closeStores() {
        if (stores != null) {
            stores.close();
        }
    }

    // ---- payments: round trip and scoping ----

    @Test
    void findPaymentWhenInsertedThenEqualInEveryField() {
        Customer customer = customer(test, T0);
        payments.insertCustomer(customer, Optional.empty());
        Payment payment = new Payment(id("pay", test), test, 1050, "EUR", PaymentStatus.FAILED,
                Optional.of("card_declined"), Optional.of("Order #42 — café"), Optional.of(customer.id()),
                Map.of("order", "42", "note", "ünïcødé \"quoted\""), 0, token(test), T0);

        payments.insertPayment(payment, Optional.empty());

        assertThat(payments.findPayment(test, payment.id())).contains(payment);
        assertThat(payments.findPaymentByCheckoutToken(payment.checkoutToken())).contains(payment);
    }

    @Test
    void findPaymentWhenOptionalFieldsEmptyThenEmptyAgain() {
        Payment payment = payment(test, 500, "USD", PaymentStatus.PENDING, T0);

        payments.insertPayment(payment, Optional.empty());

        assertThat(payments.findPayment(test, payment.id())).contains(payment);
    }

    @Test
    void findPaymentWhenAnotherAccountOrEnvironmentThenNotFound() {
        Payment payment = insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);

        assertThat(payments.findPayment(live, payment.id())).isEmpty();
        assertThat(payments.findPayment(otherTest, payment.id())).isEmpty();
        assertThat(payments.findPayment(new Scope(otherTest.accountId(), Environment.LIVE), payment.id())).isEmpty();
        assertThat(payments.findPayment(test, payment.id())).isPresent();
    }

    @Test
    void findPaymentWhenUnknownIdThenEmpty() {
        insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);

        assertThat(payments.findPayment(test, "pay_test_0000000000000000")).isEmpty();
        assertThat(payments.findPayment(test, "")).isEmpty();
        assertThat(payments.findPayment(test, "' OR 1=1 --")).isEmpty();
    }

    @Test
    void findPaymentByCheckoutTokenWhenAnyScopeThenFoundElseEmpty() {
        Payment livePayment = insertPayment(live, 1000, "USD", PaymentStatus.PENDING, T0);
        Payment otherPayment = insertPayment(otherTest, 1001, "USD", PaymentStatus.PENDING, T0);

        assertThat(payments.findPaymentByCheckoutToken(livePayment.checkoutToken())).contains(livePayment);
        assertThat(payments.findPaymentByCheckoutToken(otherPayment.checkoutToken())).contains(otherPayment);
        assertThat(payments.findPaymentByCheckoutToken(token(test))).isEmpty();
        assertThat(payments.findPaymentByCheckoutToken(livePayment.id())).isEmpty();
    }

    @Test
    void listPaymentsWhenSeveralScopesThenExactlyTheScopesOwn() {
        Map<Scope, Set<String>> expected = Map.of(
                test, ids(insertPayments(test, 4)),
                live, ids(insertPayments(live, 3)),
                otherTest, ids(insertPayments(otherTest, 5)));
        Scope empty = new Scope(otherTest.accountId(), Environment.LIVE);

        expected.forEach((scope, ids) -> {
            Page<Payment> page = payments.listPayments(scope, Optional.empty(), 100);
            assertThat(ids(page.data())).as("payments of %s", scope).isEqualTo(ids);
            assertThat(page.data()).allSatisfy(payment -> assertThat(payment.scope()).isEqualTo(scope));
            assertThat(page.hasMore()).isFalse();
        });
        assertThat(payments.listPayments(empty, Optional.empty(), 100)).isEqualTo(new Page<>(List.of(), false));
    }

    // ---- pagination ----

    @Test
    void listPaymentsWhenDistinctTimesThenNewestFirst() {
        List<Payment> inserted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inserted.add(insertPayment(test, 100 + i, "USD", PaymentStatus.PENDING, T0.plusSeconds(i * 7L)));
        }
        Collections.reverse(inserted);

        Page<Payment> page = payments.listPayments(test, Optional.empty(), 10);

        assertThat(page.data()).containsExactlyElementsOf(inserted);
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void listPaymentsWhenLimitReachedThenHasMoreAndCursorContinuesWithoutGapOrRepeat() {
        List<Payment> inserted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            inserted.add(insertPayment(test, 100 + i, "USD", PaymentStatus.PENDING, T0.plusMillis(i)));
        }
        Collections.reverse(inserted);

        Page<Payment> first = payments.listPayments(test, Optional.empty(), 3);
        Page<Payment> second = payments.listPayments(test, Optional.of(first.data().get(2).id()), 3);
        Page<Payment> third = payments.listPayments(test, Optional.of(second.data().get(2).id()), 3);

        assertThat(first.data()).containsExactlyElementsOf(inserted.subList(0, 3));
        assertThat(first.hasMore()).isTrue();
        assertThat(second.data()).containsExactlyElementsOf(inserted.subList(3, 6));
        assertThat(second.hasMore()).isTrue();
        assertThat(third.data()).containsExactlyElementsOf(inserted.subList(6, 7));
        assertThat(third.hasMore()).isFalse();
    }

    @Test
    void listPaymentsWhenExactlyLimitLeftThenHasMoreFalse() {
        insertPayments(test, 4);

        Page<Payment> page = payments.listPayments(test, Optional.empty(), 4);
        Page<Payment> afterLast = payments.listPayments(test, Optional.of(page.data().get(3).id()), 4);

        assertThat(page.data()).hasSize(4);
        assertThat(page.hasMore()).isFalse();
        assertThat(afterLast).isEqualTo(new Page<>(List.of(), false));
    }

    @Test
    void listPaymentsWhenManyShareCreatedAtThenEveryPageSizeWalksTheSameStableOrder() {
        // Several objects in one millisecond: only the tie-break on id keeps the cursor exact.
        List<Payment> inserted = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Instant at = i < 9 ? T0 : T0.plusSeconds(1);
            inserted.add(insertPayment(test, 100 + i, "USD", PaymentStatus.PENDING, at));
        }
        List<Payment> whole = payments.listPayments(test, Optional.empty(), 100).data();

        assertThat(whole).containsExactlyInAnyOrderElementsOf(inserted);
        assertThat(whole).isSortedAccordingTo((a, b) -> b.createdAt().compareTo(a.createdAt()));
        assertThat(payments.listPayments(test, Optional.empty(), 100).data()).isEqualTo(whole);
        for (int limit : new int[] {1, 2, 4, 5, 11}) {
            assertThat(walk(payments::listPayments, test, limit)).as("walk with limit %d", limit)
                    .isEqualTo(whole);
        }
    }

    @Test
    void listPaymentsWhenTiesThenBrokenByIdConsistentlyWithTheCursor() {
        for (int i = 0; i < 6; i++) {
            insertPayment(test, 100 + i, "USD", PaymentStatus.PENDING, T0);
        }
        List<Payment> whole = payments.listPayments(test, Optional.empty(), 100).data();

        // after each object, exactly the ones listed after it follow: the order is a total order on (created_at, id)
        for (int i = 0; i < whole.size(); i++) {
            assertThat(payments.listPayments(test, Optional.of(whole.get(i).id()), 100).data())
                    .isEqualTo(whole.subList(i + 1, whole.size()));
        }
    }

    @Test
    void listPaymentsWhenCursorOfAnotherScopeThenInvalidStartingAfter() {
        Payment otherAccount = insertPayment(otherTest, 100, "USD", PaymentStatus.PENDING, T0);
        Payment otherEnvironment = insertPayment(live, 100, "USD", PaymentStatus.PENDING, T0);
        Customer customer = customer(test, T0);
        payments.insertCustomer(customer, Optional.empty());
        insertPayments(test, 2);

        for (String cursor : List.of(otherAccount.id(), otherEnvironment.id(), customer.id(),
                "pay_test_0000000000000000", "")) {
            assertThatThrownBy(() -> payments.listPayments(test, Optional.of(cursor), 10))
                    .as("cursor %s", cursor)
                    .isInstanceOfSatisfying(InvalidInputException.class, e ->
                            assertThat(e.param()).isEqualTo("starting_after"));
        }
    }

    // ---- customers ----

    @Test
    void findCustomerWhenInsertedThenEqualAndScoped() {
        Customer named = new Customer(id("cus", test), test, "ada@example.com", Optional.of("Ada Lovelace"), T0);
        Customer unnamed = new Customer(id("cus", test), test, "bob@example.com", Optional.empty(), T0.plusMillis(1));

        payments.insertCustomer(named, Optional.empty());
        payments.insertCustomer(unnamed, Optional.empty());

        assertThat(payments.findCustomer(test, named.id())).contains(named);
        assertThat(payments.findCustomer(test, unnamed.id())).contains(unnamed);
        assertThat(payments.findCustomer(live, named.id())).isEmpty();
        assertThat(payments.findCustomer(otherTest, named.id())).isEmpty();
    }

    @Test
    void listCustomersWhenSeveralScopesThenExactlyTheScopesOwnNewestFirstWithCursor() {
        List<Customer> own = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Customer customer = customer(test, T0.plusMillis(i));
            payments.insertCustomer(customer, Optional.empty());
            own.add(customer);
            payments.insertCustomer(customer(live, T0.plusMillis(i)), Optional.empty());
            payments.insertCustomer(customer(otherTest, T0.plusMillis(i)), Optional.empty());
        }
        Collections.reverse(own);

        assertThat(payments.listCustomers(test, Optional.empty(), 100).data()).containsExactlyElementsOf(own);
        assertThat(walk(payments::listCustomers, test, 2)).containsExactlyElementsOf(own);
        Page<Customer> first = payments.listCustomers(test, Optional.empty(), 2);
        assertThat(first.hasMore()).isTrue();
        assertThatThrownBy(() -> payments.listCustomers(test,
                Optional.of(payments.listCustomers(otherTest, Optional.empty(), 1).data().get(0).id()), 2))
                .isInstanceOfSatisfying(InvalidInputException.class, e ->
                        assertThat(e.param()).isEqualTo("starting_after"));
    }

    // ---- refunds ----

    @Test
    void insertRefundWhenPartThenAmountRefundedGrowsAndReturnsPaymentAfter() {
        Payment payment = insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);

        Optional<Payment> afterFirst = payments.insertRefund(refund(payment, 300), Optional.empty());
        Optional<Payment> afterSecond = payments.insertRefund(refund(payment, 700), Optional.empty());

        assertThat(afterFirst).hasValueSatisfying(p -> assertThat(p.amountRefunded()).isEqualTo(300));
        assertThat(afterSecond).hasValueSatisfying(p -> {
            assertThat(p.id()).isEqualTo(payment.id());
            assertThat(p.amountRefunded()).isEqualTo(1000);
            assertThat(p.status()).isEqualTo(PaymentStatus.SUCCEEDED);
        });
        assertThat(payments.findPayment(test, payment.id()).orElseThrow().amountRefunded()).isEqualTo(1000);
    }

    @Test
    void insertRefundWhenMoreThanLeftThenEmptyAndNothingChanged() {
        Payment payment = insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);
        payments.insertRefund(refund(payment, 600), Optional.empty());

        assertThat(payments.insertRefund(refund(payment, 401), Optional.empty())).isEmpty();
        assertThat(payments.insertRefund(refund(payment, 1001), Optional.empty())).isEmpty();

        assertThat(payments.findPayment(test, payment.id()).orElseThrow().amountRefunded()).isEqualTo(600);
        assertThat(payments.balance(test).available()).containsEntry("USD", 400L);
    }

    @Test
    void insertRefundWhenNotSucceededThenEmptyAndNothingChanged() {
        Payment pending = insertPayment(test, 1000, "USD", PaymentStatus.PENDING, T0);
        Payment failed = insertPayment(test, 1002, "USD", PaymentStatus.FAILED, T0);

        assertThat(payments.insertRefund(refund(pending, 100), Optional.empty())).isEmpty();
        assertThat(payments.insertRefund(refund(failed, 100), Optional.empty())).isEmpty();

        assertThat(payments.findPayment(test, pending.id()).orElseThrow().amountRefunded()).isZero();
        assertThat(payments.findPayment(test, failed.id()).orElseThrow().amountRefunded()).isZero();
    }

    @Test
    void insertRefundWhenPaymentOfAnotherScopeThenEmptyAndNothingChanged() {
        Payment payment = insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);

        for (Scope stranger : List.of(live, otherTest)) {
            Refund refund = new Refund(id("re", stranger), stranger, payment.id(), 100, "USD", T0);
            assertThat(payments.insertRefund(refund, Optional.empty())).as("refund from %s", stranger).isEmpty();
        }

        assertThat(payments.findPayment(test, payment.id()).orElseThrow().amountRefunded()).isZero();
    }

    @Test
    void insertRefundWhenConcurrentThenNeverMoreThanTheAmount() throws Exception {
        Payment payment = insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);
        int threads = 8;

        // 8 × 300 asked of 1000: exactly three fit
        List<Optional<Payment>> results = concurrently(threads, i -> payments.insertRefund(refund(payment, 300),
                Optional.empty()));

        assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(3);
        assertThat(payments.findPayment(test, payment.id()).orElseThrow().amountRefunded()).isEqualTo(900);
        assertThat(payments.balance(test).available()).containsEntry("USD", 100L);
    }

    @Test
    void insertRefundWhenConcurrentFullRefundsThenExactlyOne() throws Exception {
        Payment payment = insertPayment(test, 5000, "EUR", PaymentStatus.SUCCEEDED, T0);

        List<Optional<Payment>> results = concurrently(8, i -> payments.insertRefund(refund(payment, 5000),
                Optional.empty()));

        assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        assertThat(payments.findPayment(test, payment.id()).orElseThrow().amountRefunded()).isEqualTo(5000);
    }

    // ---- completing a payment ----

    @Test
    void completePaymentWhenPendingThenMovesOnceWithFailureCode() {
        Payment paid = insertPayment(test, 1001, "USD", PaymentStatus.PENDING, T0);
        Payment declined = insertPayment(test, 1003, "USD", PaymentStatus.PENDING, T0);

        assertThat(payments.completePayment(paid.id(), PaymentStatus.SUCCEEDED, Optional.empty())).isTrue();
        assertThat(payments.completePayment(declined.id(), PaymentStatus.FAILED, Optional.of("card_declined")))
                .isTrue();

        Payment paidAfter = payments.findPayment(test, paid.id()).orElseThrow();
        assertThat(paidAfter.status()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(paidAfter.failureCode()).isEmpty();
        Payment declinedAfter = payments.findPayment(test, declined.id()).orElseThrow();
        assertThat(declinedAfter.status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(declinedAfter.failureCode()).contains("card_declined");
    }

    @Test
    void completePaymentWhenNotPendingThenFalseAndUnchanged() {
        Payment succeeded = insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);
        Payment failed = insertPayment(test, 1002, "USD", PaymentStatus.FAILED, T0);
        Payment pending = insertPayment(test, 1001, "USD", PaymentStatus.PENDING, T0);
        payments.completePayment(pending.id(), PaymentStatus.FAILED, Optional.of("card_declined"));

        assertThat(payments.completePayment(succeeded.id(), PaymentStatus.FAILED, Optional.of("card_declined")))
                .isFalse();
        assertThat(payments.completePayment(failed.id(), PaymentStatus.SUCCEEDED, Optional.empty())).isFalse();
        assertThat(payments.completePayment(pending.id(), PaymentStatus.SUCCEEDED, Optional.empty())).isFalse();
        assertThat(payments.completePayment("pay_test_0000000000000000", PaymentStatus.SUCCEEDED, Optional.empty()))
                .isFalse();

        assertThat(payments.findPayment(test, succeeded.id())).contains(succeeded);
        assertThat(payments.findPayment(test, failed.id())).contains(failed);
        assertThat(payments.findPayment(test, pending.id()).orElseThrow().status()).isEqualTo(PaymentStatus.FAILED);
    }

    @Test
    void completePaymentWhenConcurrentThenExactlyOneWins() throws Exception {
        Payment payment = insertPayment(test, 1001, "USD", PaymentStatus.PENDING, T0);

        List<Boolean> results = concurrently(8, i -> payments.completePayment(payment.id(),
                i % 2 == 0 ? PaymentStatus.SUCCEEDED : PaymentStatus.FAILED,
                i % 2 == 0 ? Optional.empty() : Optional.of("card_declined")));

        assertThat(results).containsOnlyOnce(true);
    }

    // ---- balance ----

    @Test
    void balanceWhenPaymentsInSeveralCurrenciesThenAvailableAndPendingPerCurrency() {
        Payment usd = insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);
        insertPayment(test, 2500, "USD", PaymentStatus.SUCCEEDED, T0);
        insertPayment(test, 333, "USD", PaymentStatus.PENDING, T0);
        insertPayment(test, 7000, "USD", PaymentStatus.FAILED, T0);
        insertPayment(test, 400, "EUR", PaymentStatus.SUCCEEDED, T0);
        insertPayment(test, 150, "EUR", PaymentStatus.PENDING, T0);
        insertPayment(test, 5000, "XOF", PaymentStatus.PENDING, T0);
        payments.insertRefund(refund(usd, 250), Optional.empty());

        Balance balance = payments.balance(test);

        assertThat(balance.available()).containsEntry("USD", 3250L).containsEntry("EUR", 400L);
        assertThat(balance.available().getOrDefault("XOF", 0L)).isZero();
        assertThat(balance.pending()).containsEntry("USD", 333L).containsEntry("EUR", 150L)
                .containsEntry("XOF", 5000L);
    }

    @Test
    void balanceWhenOtherScopesHavePaymentsThenOnlyTheScopesOwn() {
        insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);
        insertPayment(live, 9900, "USD", PaymentStatus.PENDING, T0);
        insertPayment(otherTest, 4200, "USD", PaymentStatus.SUCCEEDED, T0);
        insertPayment(otherTest, 42, "GBP", PaymentStatus.PENDING, T0);

        Balance balance = payments.balance(test);
        Balance liveBalance = payments.balance(live);

        assertThat(balance.available()).containsExactly(Map.entry("USD", 1000L));
        assertThat(balance.pending().getOrDefault("USD", 0L)).isZero();
        assertThat(balance.pending()).doesNotContainKey("GBP");
        assertThat(liveBalance.pending()).containsExactly(Map.entry("USD", 9900L));
        assertThat(liveBalance.available().getOrDefault("USD", 0L)).isZero();
    }

    @Test
    void balanceWhenNothingThenEmpty() {
        Balance balance = payments.balance(test);

        assertThat(balance.available()).isEmpty();
        assertThat(balance.pending()).isEmpty();
    }

    @Test
    void balanceWhenFullyRefundedThenNothingAvailable() {
        Payment payment = insertPayment(test, 1200, "USD", PaymentStatus.SUCCEEDED, T0);
        payments.insertRefund(refund(payment, 1200), Optional.empty());

        assertThat(payments.balance(test).available().getOrDefault("USD", 0L)).isZero();
    }

    // ---- idempotent responses ----

    @Test
    void findIdempotentResponseWhenKeptWithPaymentThenFoundInItsScopeOnly() {
        Payment payment = payment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);
        IdempotentResponse response = response(test, "order-42", "{\"id\":\"" + payment.id() + "\"}", T0);

        payments.insertPayment(payment, Optional.of(response));

        Instant notBefore = T0.minus(IdempotentResponse.TTL);
        assertThat(payments.findIdempotentResponse(test, SECRET, "order-42", notBefore))
                .hasValueSatisfying(kept -> assertSameResponse(kept, response));
        assertThat(payments.findIdempotentResponse(live, SECRET, "order-42", notBefore)).isEmpty();
        assertThat(payments.findIdempotentResponse(otherTest, SECRET, "order-42", notBefore)).isEmpty();
        assertThat(payments.findIdempotentResponse(test, SECRET, "order-43", notBefore)).isEmpty();
        assertThat(payments.findIdempotentResponse(test, SECRET, "ORDER-42", notBefore)).isEmpty();
    }

    @Test
    void findIdempotentResponseWhenMadeBeforeNotBeforeThenEmpty() {
        IdempotentResponse response = response(test, "k", "{}", T0);
        payments.insertCustomer(customer(test, T0), Optional.of(response));

        assertThat(payments.findIdempotentResponse(test, SECRET, "k", T0)).isPresent();
        assertThat(payments.findIdempotentResponse(test, SECRET, "k", T0.plusMillis(1))).isEmpty();
    }

    @Test
    void insertPaymentWhenKeyAlreadyKeptThenConflictAndNothingOfTheLoserKept() {
        Payment winner = payment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);
        Payment loser = payment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0.plusMillis(5));
        payments.insertPayment(winner, Optional.of(response(test, "same", "winner", T0)));

        assertThatThrownBy(() -> payments.insertPayment(loser,
                Optional.of(response(test, "same", "loser", T0.plusMillis(5)))))
                .isInstanceOf(ConflictException.class);

        assertThat(payments.findPayment(test, loser.id())).isEmpty();
        assertThat(payments.findPaymentByCheckoutToken(loser.checkoutToken())).isEmpty();
        assertThat(ids(payments.listPayments(test, Optional.empty(), 100).data())).containsExactly(winner.id());
        assertThat(payments.balance(test).available()).containsExactly(Map.entry("USD", 1000L));
        assertThat(payments.findIdempotentResponse(test, SECRET, "same", T0).orElseThrow().body()).isEqualTo("winner");
    }

    @Test
    void insertPaymentWhenSameKeyInAnotherScopeThenBothKept() {
        Payment first = payment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);
        Payment inLive = payment(live, 1000, "USD", PaymentStatus.PENDING, T0);
        Payment inOther = payment(otherTest, 1000, "USD", PaymentStatus.SUCCEEDED, T0);

        payments.insertPayment(first, Optional.of(response(test, "same", "a", T0)));
        payments.insertPayment(inLive, Optional.of(response(live, "same", "b", T0)));
        payments.insertPayment(inOther, Optional.of(response(otherTest, "same", "c", T0)));

        assertThat(payments.findIdempotentResponse(test, SECRET, "same", T0).orElseThrow().body()).isEqualTo("a");
        assertThat(payments.findIdempotentResponse(live, SECRET, "same", T0).orElseThrow().body()).isEqualTo("b");
        assertThat(payments.findIdempotentResponse(otherTest, SECRET, "same", T0).orElseThrow().body()).isEqualTo("c");
        assertThat(payments.findPayment(live, inLive.id())).isPresent();
        assertThat(payments.findPayment(otherTest, inOther.id())).isPresent();
    }

    @Test
    void findIdempotentResponseWhenKeptForOneKeyTypeThenNotFoundForTheOther() {
        IdempotentResponse response = response(test, PUBLIC, "order-7777", "claimed", T0);

        payments.insertPayment(payment(test, 1, "USD", PaymentStatus.PENDING, T0), Optional.of(response));

        assertThat(payments.findIdempotentResponse(test, PUBLIC, "order-7777", T0))
                .hasValueSatisfying(kept -> assertSameResponse(kept, response));
        assertThat(payments.findIdempotentResponse(test, SECRET, "order-7777", T0)).isEmpty();
    }

    @Test
    void insertPaymentWhenSameKeyForPublicThenSecretKeyTypeThenBothKept() {
        Payment claimed = payment(test, 1, "USD", PaymentStatus.PENDING, T0);
        Payment merchants = payment(test, 777_700, "USD", PaymentStatus.PENDING, T0.plusMillis(1));

        payments.insertPayment(claimed, Optional.of(response(test, PUBLIC, "order-7777", "claimed", T0)));
        payments.insertPayment(merchants, Optional.of(response(test, SECRET, "order-7777", "merchants",
                T0.plusMillis(1))));

        assertThat(payments.findIdempotentResponse(test, PUBLIC, "order-7777", T0).orElseThrow().body())
                .isEqualTo("claimed");
        assertThat(payments.findIdempotentResponse(test, SECRET, "order-7777", T0).orElseThrow().body())
                .isEqualTo("merchants");
        assertThat(ids(payments.listPayments(test, Optional.empty(), 100).data()))
                .containsExactlyInAnyOrder(claimed.id(), merchants.id());
        assertThatThrownBy(() -> payments.insertPayment(payment(test, 5, "USD", PaymentStatus.PENDING, T0),
                Optional.of(response(test, PUBLIC, "order-7777", "again", T0.plusMillis(2)))))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void insertCustomerWhenKeyAlreadyKeptThenConflictAndNoCustomerKept() {
        Customer winner = customer(test, T0);
        Customer loser = customer(test, T0.plusMillis(1));
        payments.insertCustomer(winner, Optional.of(response(test, "cus-key", "winner", T0)));

        assertThatThrownBy(() -> payments.insertCustomer(loser, Optional.of(response(test, "cus-key", "loser",
                T0.plusMillis(1))))).isInstanceOf(ConflictException.class);

        assertThat(payments.findCustomer(test, loser.id())).isEmpty();
        assertThat(payments.listCustomers(test, Optional.empty(), 100).data()).containsExactly(winner);
    }

    @Test
    void insertRefundWhenKeyAlreadyKeptThenConflictAndRefundNotApplied() {
        Payment payment = insertPayment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0);
        payments.insertRefund(refund(payment, 100), Optional.of(response(test, "re-key", "winner", T0)));

        assertThatThrownBy(() -> payments.insertRefund(refund(payment, 200),
                Optional.of(response(test, "re-key", "loser", T0)))).isInstanceOf(ConflictException.class);

        assertThat(payments.findPayment(test, payment.id()).orElseThrow().amountRefunded()).isEqualTo(100);
        assertThat(payments.balance(test).available()).containsExactly(Map.entry("USD", 900L));
    }

    @Test
    void insertPaymentWhenConcurrentWithOneKeyThenExactlyOneKept() throws Exception {
        List<Payment> candidates = IntStream.range(0, 8)
                .mapToObj(i -> payment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0)).toList();

        List<Boolean> won = concurrently(candidates.size(), i -> {
            try {
                payments.insertPayment(candidates.get(i), Optional.of(response(test, "race", "body-" + i, T0)));
                return true;
            } catch (ConflictException lost) {
                return false;
            }
        });

        assertThat(won).containsOnlyOnce(true);
        String winner = candidates.get(won.indexOf(true)).id();
        assertThat(ids(payments.listPayments(test, Optional.empty(), 100).data())).containsExactly(winner);
        assertThat(payments.findIdempotentResponse(test, SECRET, "race", T0).orElseThrow().body())
                .isEqualTo("body-" + won.indexOf(true));
    }

    @Test
    void insertPaymentWhenKeptResponseExpiredThenReplaced() {
        payments.insertPayment(payment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0),
                Optional.of(response(test, "again", "old", T0)));
        Instant later = T0.plus(IdempotentResponse.TTL).plusMillis(1);
        Payment fresh = payment(test, 2000, "USD", PaymentStatus.SUCCEEDED, later);

        payments.insertPayment(fresh, Optional.of(response(test, "again", "new", later)));

        assertThat(payments.findPayment(test, fresh.id())).contains(fresh);
        assertThat(payments.findIdempotentResponse(test, SECRET, "again", later.minus(IdempotentResponse.TTL)))
                .hasValueSatisfying(kept -> {
                    assertThat(kept.body()).isEqualTo("new");
                    assertThat(kept.createdAt()).isEqualTo(later);
                });
    }

    @Test
    void insertPaymentWhenKeptResponseExactlyTtlOldThenStillConflict() {
        payments.insertPayment(payment(test, 1000, "USD", PaymentStatus.SUCCEEDED, T0),
                Optional.of(response(test, "edge", "old", T0)));
        Instant edge = T0.plus(IdempotentResponse.TTL);
        Payment loser = payment(test, 2000, "USD", PaymentStatus.SUCCEEDED, edge);

        assertThatThrownBy(() -> payments.insertPayment(loser, Optional.of(response(test, "edge", "new", edge))))
                .isInstanceOf(ConflictException.class);
        assertThat(payments.findPayment(test, loser.id())).isEmpty();
        assertThat(payments.findIdempotentResponse(test, SECRET, "edge", edge.minus(IdempotentResponse.TTL))
                .orElseThrow()
                .body()).isEqualTo("old");
    }

    @Test
    void purgeIdempotentResponsesWhenOlderThanBeforeThenOnlyThoseForgotten() {
        payments.insertCustomer(customer(test, T0), Optional.of(response(test, "a", "a", T0)));
        payments.insertCustomer(customer(live, T0), Optional.of(response(live, "b", "b", T0.plusSeconds(10))));
        payments.insertCustomer(customer(otherTest, T0), Optional.of(response(otherTest, "c", "c",
                T0.plusSeconds(20))));

        int purged = payments.purgeIdempotentResponses(T0.plusSeconds(10));

        assertThat(purged).isEqualTo(1);
        assertThat(payments.findIdempotentResponse(test, SECRET, "a", Instant.EPOCH)).isEmpty();
        assertThat(payments.findIdempotentResponse(live, SECRET, "b", Instant.EPOCH)).isPresent();
        assertThat(payments.findIdempotentResponse(otherTest, SECRET, "c", Instant.EPOCH)).isPresent();
        assertThat(payments.listCustomers(test, Optional.empty(), 10).data()).as("objects stay").hasSize(1);
        assertThat(payments.purgeIdempotentResponses(T0.plusSeconds(10))).isZero();
        assertThat(payments.purgeIdempotentResponses(T0.plus(Duration.ofDays(2)))).isEqualTo(2);
    }

    @Test
    void purgeIdempotentResponsesWhenPurgedThenKeyUsableAgainAtOnce() {
        payments.insertCustomer(customer(test, T0), Optional.of(response(test, "k", "first", T0)));
        payments.purgeIdempotentResponses(T0.plusMillis(1));

        Customer second = customer(test, T0.plusMillis(2));
        payments.insertCustomer(second, Optional.of(response(test, "k", "second", T0.plusMillis(2))));

        assertThat(payments.findIdempotentResponse(test, SECRET, "k", T0).orElseThrow().body()).isEqualTo("second");
    }

    // ---- helpers ----

    private String account(String email) {
        String id = "acct_" + Base62.random(random, 16);
        stores.keys().insertAccount(new Account(id, "Shop of " + email, email, OptionalInt.empty(), T0),
                Optional.empty());
        return id;
    }

    private String id(String prefix, Scope scope) {
        return prefix + "_" + scope.label() + "_" + Base62.random(random, 16);
    }

    private String token(Scope scope) {
        return "cs_" + scope.label() + "_" + Base62.random(random, 32);
    }

    private Payment payment(Scope scope, long amount, String currency, PaymentStatus status, Instant at) {
        return new Payment(id("pay", scope), scope, amount, currency, status,
                status == PaymentStatus.FAILED ? Optional.of("card_declined") : Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), 0, token(scope), at);
    }

    private Payment insertPayment(Scope scope, long amount, String currency, PaymentStatus status, Instant at) {
        Payment payment = payment(scope, amount, currency, status, at);
        payments.insertPayment(payment, Optional.empty());
        return payment;
    }

    private List<Payment> insertPayments(Scope scope, int count) {
        List<Payment> inserted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inserted.add(insertPayment(scope, 100 + i, "USD", PaymentStatus.PENDING, T0.plusMillis(i)));
        }
        return inserted;
    }

    private Customer customer(Scope scope, Instant at) {
        return new Customer(id("cus", scope), scope, "c" + random.nextInt(1_000_000) + "@example.com",
                Optional.of("Customer"), at);
    }

    private Refund refund(Payment payment, long amount) {
        return new Refund(id("re", payment.scope()), payment.scope(), payment.id(), amount, payment.currency(),
                payment.createdAt().plusSeconds(1));
    }

    private static IdempotentResponse response(Scope scope, String key, String body, Instant at) {
        return response(scope, SECRET, key, body, at);
    }

    private static IdempotentResponse response(Scope scope, KeyType type, String key, String body, Instant at) {
        return new IdempotentResponse(scope, type, key, "fp-" + body, 201, body, at);
    }

    private static void assertSameResponse(IdempotentResponse actual, IdempotentResponse expected) {
        assertThat(actual.scope()).isEqualTo(expected.scope());
        assertThat(actual.keyType()).isEqualTo(expected.keyType());
        assertThat(actual.key()).isEqualTo(expected.key());
        assertThat(actual.fingerprint()).isEqualTo(expected.fingerprint());
        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(actual.body()).isEqualTo(expected.body());
        assertThat(actual.createdAt()).isEqualTo(expected.createdAt());
    }

    private static Set<String> ids(List<?> objects) {
        Set<String> ids = new HashSet<>();
        for (Object object : objects) {
            ids.add(object instanceof Payment p ? p.id() : ((Customer) object).id());
        }
        return ids;
    }

    /** Every object of the scope, page by page with {@code limit}, following the cursor. */
    private static <T> List<T> walk(Lister<T> lister, Scope scope, int limit) {
        List<T> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        for (int pages = 0; pages < 1_000; pages++) {
            Page<T> page = lister.list(scope, cursor, limit);
            assertThat(page.data().size()).isLessThanOrEqualTo(limit);
            all.addAll(page.data());
            if (!page.hasMore()) {
                return all;
            }
            assertThat(page.data()).as("a page with has_more is full").hasSize(limit);
            Object last = page.data().get(page.data().size() - 1);
            cursor = Optional.of(last instanceof Payment p ? p.id() : ((Customer) last).id());
        }
        throw new AssertionError("pagination did not end");
    }

    @FunctionalInterface
    private interface Lister<T> {
        Page<T> list(Scope scope, Optional<String> startingAfter, int limit);
    }

    /** Runs {@code task(i)} on {@code threads} threads released at once; their results in order. */
    private static <T> List<T> concurrently(int threads, java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(executor.submit((Callable<T>) () -> {
                    ready.countDown();
                    go.await();
                    return task.apply(index);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
