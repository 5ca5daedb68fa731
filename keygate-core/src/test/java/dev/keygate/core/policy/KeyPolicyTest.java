package dev.keygate.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keygate.keyformat.KeyType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPolicyTest {

    private static final List<String> RESOURCES = List.of("payments", "refunds", "customers", "balance", "charges");

    private static KeyPolicy restricted(KeyPolicyBuilder builder) {
        return builder.build(KeyType.RESTRICTED, 120, RESOURCES);
    }

    private static InvalidPolicyException refused(KeyPolicyBuilder builder, KeyType type) {
        return catchThrowableOfType(InvalidPolicyException.class, () -> builder.build(type, 120, RESOURCES));
    }

    @ParameterizedTest
    @CsvSource({
        "payments:write, payments, READ, ", "payments:write, payments, WRITE, ",
        "payments:read, payments, READ, ", "payments:read, payments, WRITE, payments:write",
        "payments:none, payments, READ, payments:read", "customers:read, payments, READ, payments:read",
        "'', refunds, WRITE, refunds:write", "charges:read, charges, READ, ", "charges:read, charges, WRITE, charges:write",
        "'balance:read,refunds:write', refunds, READ, ", "'balance:read,refunds:write', balance, WRITE, balance:write"})
    void authorizeWhenLevelAndOperationThenGrantedOrNamesTheLackingPermission(String permissions, String resource,
            Operation operation, String lacking) {
        Authorization answer = restricted(KeyPolicy.builder().permissions(permissions)).authorize(resource, operation);
        if (lacking == null) {
            assertThat(answer).isSameAs(Authorization.GRANTED);
        } else {
            assertThat(answer).isEqualTo(new Authorization.Lacking(lacking));
        }
    }

    @Test
    void operationWhenMethodThenReadOnlyForGetAndHead() {
        assertThat(Operation.ofMethod("GET")).isEqualTo(Operation.READ);
        assertThat(Operation.ofMethod("HEAD")).isEqualTo(Operation.READ);
        assertThat(List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get")).allSatisfy(
                method -> assertThat(Operation.ofMethod(method)).isEqualTo(Operation.WRITE));
    }

    @Test
    void buildWhenNothingSetThenAnyAddressNeverExpiresAndAccountLimit() {
        KeyPolicy policy = KeyPolicy.builder().build(KeyType.SECRET, 120, RESOURCES);
        assertThat(policy).isEqualTo(KeyPolicy.UNRESTRICTED);
        assertThat(policy.expiry().expiresAt(Instant.EPOCH)).isEmpty();
        assertThat(policy.effectiveLimit(120)).isEqualTo(120);
        assertThat(policy.allowsFrom(new ClientAddress.Unidentified())).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"never, -1", "7d, 7", "30d, 30", "90d, 90", "365d, 365"})
    void buildWhenExpiryChoiceThenExpiresThatManyDaysAfterCreation(String label, int days) {
        KeyPolicy policy = restricted(KeyPolicy.builder().expiresIn(label));
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(policy.expiry().label()).isEqualTo(label);
        assertThat(policy.expiry().expiresAt(created).orElse(null))
                .isEqualTo(days < 0 ? null : created.plusSeconds(days * 86_400L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1d", "7", "60d", "90D", " 90d", "forever", "-7d", "365d "})
    void buildWhenExpiryNotOneOfTheFiveThenRefusedOnExpiresIn(String label) {
        InvalidPolicyException e = refused(KeyPolicy.builder().expiresIn(label), KeyType.RESTRICTED);
        assertThat(e.fieldErrors()).containsOnlyKeys("expires_in");
        assertThat(e.fieldErrors().get("expires_in")).contains("never, 7d, 30d, 90d or 365d");
        assertThat(e.param()).isEqualTo("expires_in");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 60, 120})
    void buildWhenOwnLimitWithinAccountsThenKeptAndTheLowerApplies(int perMinute) {
        KeyPolicy policy = restricted(KeyPolicy.builder().perMinute(perMinute));
        assertThat(policy.perMinute()).hasValue(perMinute);
        assertThat(policy.effectiveLimit(120)).isEqualTo(perMinute);
        assertThat(policy.effectiveLimit(30)).isEqualTo(Math.min(perMinute, 30));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 121, Integer.MAX_VALUE})
    void buildWhenOwnLimitOutsideOneToAccountsThenRefusedOnPerMinute(int perMinute) {
        InvalidPolicyException e = refused(KeyPolicy.builder().perMinute(perMinute), KeyType.SECRET);
        assertThat(e.fieldErrors()).containsOnlyKeys("per_minute");
        assertThat(e.fieldErrors().get("per_minute")).contains("1 to 120");
    }

    @Test
    void buildWhenFiftyCidrsThenKeptAndFiftyOneRefused() {
        KeyPolicyBuilder fifty = KeyPolicy.builder();
        for (int i = 0; i < 50; i++) {
            fifty.allowIp("10.0." + i + ".0/24");
        }
        assertThat(restricted(fifty).allowedIps().size()).isEqualTo(50);
        fifty.allowIp("2001:db8::/32");
        InvalidPolicyException e = refused(fifty, KeyType.RESTRICTED);
        assertThat(e.fieldErrors()).containsOnlyKeys("allowed_ips");
        assertThat(e.fieldErrors().get("allowed_ips")).contains("at most 50", "51");
    }

    @Test
    void buildWhenBadOrRepeatedCidrThenRefusedOnAllowedIpsNamingIt() {
        assertThat(refused(KeyPolicy.builder().allowIp("10.0.0.1/8"), KeyType.SECRET).fieldErrors().get("allowed_ips"))
                .contains("10.0.0.1/8", "bits set");
        assertThat(refused(KeyPolicy.builder().allowIp("10.0.0.0/8").allowIp("10.0.0.0/8"), KeyType.SECRET)
                .fieldErrors().get("allowed_ips")).contains("10.0.0.0/8 is listed twice");
    }

    @Test
    void allowsFromWhenAllowlistThenOnlyItsAddressesAndNeverAnUnidentifiedClient() {
        KeyPolicy policy = restricted(KeyPolicy.builder().allowIp("192.0.2.0/24").allowIp(" 2001:db8::/48 "));
        assertThat(policy.allowsFrom(known("192.0.2.200"))).isTrue();
        assertThat(policy.allowsFrom(known("::ffff:192.0.2.200"))).isTrue();
        assertThat(policy.allowsFrom(known("2001:db8:0:1::5"))).isTrue();
        assertThat(policy.allowsFrom(known("198.51.100.1"))).isFalse();
        assertThat(policy.allowsFrom(known("2001:db9::5"))).isFalse();
        assertThat(policy.allowsFrom(new ClientAddress.Unidentified())).isFalse();
        assertThat(policy.allowsFrom(new ClientAddress.Malformed("x"))).isFalse();
    }

    @Test
    void buildWhenPermissionsForASecretOrPublicKeyThenRefusedOnPermissions() {
        for (KeyType type : List.of(KeyType.SECRET, KeyType.PUBLIC)) {
            assertThat(refused(KeyPolicy.builder().permissions("payments:read"), type).fieldErrors().get("permissions"))
                    .contains("only a restricted key");
        }
        assertThat(KeyPolicy.builder().permissions("payments:none").build(KeyType.SECRET, 120, RESOURCES).permissions())
                .isEqualTo(Permissions.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "invoices:read| no resource named invoices", "payments| not resource:none|read|write",
        "payments:admin| not resource:none|read|write", "payments:Write| not resource:none|read|write",
        "payments:read,payments:write| named twice", "Payments:read| not a resource name",
        "payments:read,| not resource:none|read|write", "':read'| not a resource name"})
    void buildWhenPermissionsTextBreaksARuleThenRefusedOnPermissions(String text, String why) {
        InvalidPolicyException e = refused(KeyPolicy.builder().permissions(text), KeyType.RESTRICTED);
        assertThat(e.fieldErrors()).containsOnlyKeys("permissions");
        assertThat(e.fieldErrors().get("permissions")).startsWith("permissions: ").contains(why);
    }

    @Test
    void buildWhenSeveralFieldsWrongThenOneMessagePerField() {
        InvalidPolicyException e = refused(KeyPolicy.builder().permissions("nope:read").allowIp("1.2.3")
                .expiresIn("8d").perMinute(500), KeyType.RESTRICTED);
        assertThat(e.fieldErrors()).containsOnlyKeys("permissions", "allowed_ips", "expires_in", "per_minute");
        assertThat(e.getMessage()).contains("nope", "1.2.3", "expires_in", "per_minute");
    }

    @Test
    void permissionsWhenMatrixSetThenCliFormRoundTrips() {
        KeyPolicy policy = restricted(KeyPolicy.builder().permission("payments", Permission.WRITE)
                .permission("customers", Permission.READ).permission("balance", Permission.NONE));
        assertThat(policy.permissions()).hasToString("payments:write,customers:read");
        assertThat(Permissions.parse(policy.permissions().toString())).isEqualTo(policy.permissions());
        assertThat(policy.permissions().level("balance")).isEqualTo(Permission.NONE);
        assertThatThrownBy(() -> Permission.fromLabel("READ")).isInstanceOf(IllegalArgumentException.class);
    }

    private static ClientAddress known(String address) {
        return new ClientAddress.Known(IpAddress.parse(address).orElseThrow());
    }
}
