/**
 * The Keygate Java SDK: {@link dev.keygate.client.KeygateClient} and what it returns and throws.
 *
 * <pre>{@code
 * KeygateClient keygate = new KeygateClient(System.getenv("KEYGATE_SECRET_KEY"));
 * Payment payment = keygate.payments().create(PaymentCreateParams.builder().amount(2000).currency("usd").build());
 * }</pre>
 *
 * <p>Resources are records ({@link dev.keygate.client.Payment}, {@link dev.keygate.client.Refund},
 * {@link dev.keygate.client.Customer}, {@link dev.keygate.client.Balance}, {@link dev.keygate.client.Ping},
 * {@link dev.keygate.client.Page}); failures are {@link dev.keygate.client.KeygateException} and its
 * subtypes. The API is specified in SPEC sections 2 to 5.
 */
package dev.keygate.client;
