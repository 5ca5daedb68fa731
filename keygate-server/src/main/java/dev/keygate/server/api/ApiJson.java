package dev.keygate.server.api;

import dev.keygate.core.Scope;
import dev.keygate.keyformat.Environment;
import dev.keygate.payments.Balance;
import dev.keygate.payments.Customer;
import dev.keygate.payments.Page;
import dev.keygate.payments.Payment;
import dev.keygate.payments.Refund;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/** The JSON form of API objects (SPEC section 5), in the shape Stripe's users know. */
final class ApiJson {

    private ApiJson() {}

    static JsonObject payment(Payment payment, String baseUrl) {
        return new JsonObject()
                .put("id", payment.id())
                .put("object", "payment")
                .put("amount", payment.amount())
                .put("amount_refunded", payment.amountRefunded())
                .put("currency", payment.currency())
                .put("status", payment.status().label())
                .put("failure_code", payment.failureCode().orElse(null))
                .put("description", payment.description().orElse(null))
                .put("customer", payment.customerId().orElse(null))
                .put("metadata", new JsonObject(Map.copyOf(payment.metadata())))
                .put("checkout_url", baseUrl + CheckoutPage.PATH + payment.checkoutToken())
                .put("livemode", livemode(payment.scope()))
                .put("created", payment.createdAt().getEpochSecond());
    }

    static JsonObject refund(Refund refund) {
        return new JsonObject()
                .put("id", refund.id())
                .put("object", "refund")
                .put("payment", refund.paymentId())
                .put("amount", refund.amount())
                .put("currency", refund.currency())
                .put("status", "succeeded")
                .put("livemode", livemode(refund.scope()))
                .put("created", refund.createdAt().getEpochSecond());
    }

    static JsonObject customer(Customer customer) {
        return new JsonObject()
                .put("id", customer.id())
                .put("object", "customer")
                .put("email", customer.email())
                .put("name", customer.name().orElse(null))
                .put("livemode", livemode(customer.scope()))
                .put("created", customer.createdAt().getEpochSecond());
    }

    static JsonObject balance(Balance balance, Scope scope) {
        return new JsonObject()
                .put("object", "balance")
                .put("livemode", livemode(scope))
                .put("available", amounts(balance.available()))
                .put("pending", amounts(balance.pending()));
    }

    static <T> JsonObject list(Page<T> page, String url, Function<T, JsonObject> render) {
        JsonArray data = new JsonArray();
        page.data().forEach(item -> data.add(render.apply(item)));
        return new JsonObject()
                .put("object", "list")
                .put("url", url)
                .put("has_more", page.hasMore())
                .put("data", data);
    }

    private static JsonArray amounts(Map<String, Long> perCurrency) {
        JsonArray amounts = new JsonArray();
        perCurrency.forEach((currency, amount) -> amounts.add(new JsonObject()
                .put("currency", currency)
                .put("amount", amount)));
        return amounts;
    }

    private static boolean livemode(Scope scope) {
        return scope.environment() == Environment.LIVE;
    }
}
