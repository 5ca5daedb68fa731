package dev.keygate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keygate.server.http.ApiException;
import dev.keygate.server.http.ErrorCode;
import dev.keygate.server.http.JsonBody;

/**
 * Fuzz test of request bodies (SPEC section 5, "never 500 for anything a client sent"): any bytes
 * sent as {@code application/json} to the routes that take a body are read into the route's
 * record or refused with {@code 400 invalid_request}; nothing else is ever thrown. Runs over the
 * committed inputs in {@code JsonBodyFuzzTestInputs/} in a normal build; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class JsonBodyFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void createPaymentBodyWhenAnyBytesThenReadOrInvalidRequest(byte[] body) {
        PaymentRoutes.CreatePaymentBody read = readOrRefused(body, PaymentRoutes.CreatePaymentBody.class);
        if (read != null && read.metadata() != null) {
            assertThat(read.metadata()).doesNotContainValue(null).doesNotContainKey(null);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void refundBodyWhenAnyBytesThenReadOrInvalidRequest(byte[] body) {
        readOrRefused(body, PaymentRoutes.RefundBody.class);
    }

    @FuzzTest(maxDuration = "5m")
    void customerBodyWhenAnyBytesThenReadOrInvalidRequest(byte[] body) {
        readOrRefused(body, PaymentRoutes.CustomerBody.class);
    }

    /** The record read from {@code body}, or null when it is refused as the SPEC says. */
    private static <T> T readOrRefused(byte[] body, Class<T> type) {
        try {
            T read = JsonBody.parse(body, "application/json", type);
            assertThat(read).isNotNull();
            return read;
        } catch (ApiException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(refused.getMessage()).isNotBlank().hasSizeLessThan(300).doesNotContainPattern("\\p{Cntrl}");
            refused.param().ifPresent(param -> assertThat(param).isNotBlank().hasSizeLessThanOrEqualTo(63)
                    .doesNotContainPattern("\\p{Cntrl}"));
            return null;
        }
    }
}
