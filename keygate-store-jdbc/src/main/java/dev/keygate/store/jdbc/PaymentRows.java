package dev.keygate.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.Scope;
import dev.keygate.keyformat.Environment;
import dev.keygate.payments.Customer;
import dev.keygate.payments.Payment;
import dev.keygate.payments.PaymentStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.mapper.RowMapper;

/** The columns of the {@code payments} and {@code customers} tables, and how a row becomes an object. */
final class PaymentRows {

    static final String PAYMENT_COLUMNS = "id, account_id, environment, amount, currency, status, "
            + "failure_code, description, customer_id, metadata, amount_refunded, checkout_token, created_at";
    static final String CUSTOMER_COLUMNS = "id, account_id, environment, email, name, created_at";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    static final RowMapper<Payment> PAYMENT = (rs, ctx) -> new Payment(
            rs.getString("id"),
            scope(rs),
            rs.getLong("amount"),
            rs.getString("currency"),
            PaymentStatus.fromLabel(rs.getString("status")),
            Optional.ofNullable(rs.getString("failure_code")),
            Optional.ofNullable(rs.getString("description")),
            Optional.ofNullable(rs.getString("customer_id")),
            fromJson(rs.getString("metadata")),
            rs.getLong("amount_refunded"),
            rs.getString("checkout_token"),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    static final RowMapper<Customer> CUSTOMER = (rs, ctx) -> new Customer(
            rs.getString("id"),
            scope(rs),
            rs.getString("email"),
            Optional.ofNullable(rs.getString("name")),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    private PaymentRows() {}

    /** The {@code metadata} column's text: a JSON object with its keys in order. */
    static String toJson(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    private static Scope scope(ResultSet rs) throws SQLException {
        return new Scope(rs.getString("account_id"), Environment.fromLabel(rs.getString("environment")));
    }

    private static Map<String, String> fromJson(String json) throws SQLException {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable metadata column", e);
        }
    }
}
