package dev.keygate.client;

import com.fasterxml.jackson.databind.JavaType;
import java.util.Map;
import java.util.Objects;

/**
 * Customer records (SPEC section 5), from {@link KeygateClient#customers()}; a secret key is needed.
 *
 * <pre>{@code
 * Customer ada = client.customers().create(CustomerCreateParams.builder().email("ada@example.com").build());
 * client.customers().listAll().forEach(customer -> System.out.println(customer.email()));
 * }</pre>
 */
public final class CustomerService {

    static final String PATH = "/api/v1/customers";
    private static final JavaType CUSTOMER = Json.type(Customer.class);
    private static final JavaType PAGE = Json.pageOf(Customer.class);

    private final Transport transport;

    CustomerService(Transport transport) {
        this.transport = transport;
    }

    public Customer create(CustomerCreateParams params) {
        return create(params, RequestOptions.defaults());
    }

    public Customer create(CustomerCreateParams params, RequestOptions options) {
        return transport.post(PATH, Objects.requireNonNull(params, "params").body(), options(options), CUSTOMER);
    }

    /** The customer with this id; {@link InvalidRequestException} {@code 404 resource_missing} if there is none. */
    public Customer retrieve(String id) {
        return retrieve(id, RequestOptions.defaults());
    }

    public Customer retrieve(String id, RequestOptions options) {
        return transport.get(PATH + "/" + Transport.segment(id), Map.of(), options(options), CUSTOMER);
    }

    /** The newest customers, {@value ListParams#DEFAULT_LIMIT} of them. */
    public Page<Customer> list() {
        return list(ListParams.defaults());
    }

    /** One page of customers, newest first. */
    public Page<Customer> list(ListParams params) {
        return list(params, RequestOptions.defaults());
    }

    public Page<Customer> list(ListParams params, RequestOptions options) {
        return transport.get(PATH, Objects.requireNonNull(params, "params").query(), options(options), PAGE);
    }

    /** Every customer, newest first, fetched page by page as the iteration goes. */
    public AutoPagingIterable<Customer> listAll() {
        return listAll(ListParams.defaults());
    }

    public AutoPagingIterable<Customer> listAll(ListParams params) {
        return listAll(params, RequestOptions.defaults());
    }

    public AutoPagingIterable<Customer> listAll(ListParams params, RequestOptions options) {
        Objects.requireNonNull(params, "params");
        RequestOptions checked = options(options);
        return new AutoPagingIterable<>(params, page -> list(page, checked), Customer::id);
    }

    private static RequestOptions options(RequestOptions options) {
        return Objects.requireNonNull(options, "options");
    }
}
