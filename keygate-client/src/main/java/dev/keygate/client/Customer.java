package dev.keygate.client;

import java.time.Instant;

/**
 * A customer record (SPEC section 5), as {@code POST /api/v1/customers} and
 * {@code GET /api/v1/customers[/{id}]} return it.
 *
 * @param id       {@code cus_test_…} or {@code cus_live_…}
 * @param email    lower-case
 * @param name     null when none was given
 * @param livemode true for a live customer
 * @param created  when it was created, to the second
 */
public record Customer(String id, String email, String name, boolean livemode, Instant created) {}
