package dev.keygate.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Function;

/**
 * The SDK's one {@link ObjectMapper}: snake_case JSON to records, unknown fields ignored so that a
 * newer server's additions do not break an older SDK, times as epoch seconds, and the key format's
 * enums by their API labels ({@code test}, {@code secret}).
 */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("keygate")
                    .addDeserializer(Instant.class, new EpochSeconds())
                    .addDeserializer(Environment.class, new ByLabel<>(Environment.class, Environment::fromLabel))
                    .addDeserializer(KeyType.class, new ByLabel<>(KeyType.class, KeyType::fromLabel)))
            .build();

    private Json() {}

    static JavaType type(Class<?> type) {
        return MAPPER.constructType(type);
    }

    static JavaType pageOf(Class<?> item) {
        return MAPPER.getTypeFactory().constructParametricType(Page.class, item);
    }

    /** {@code created} and other times: whole seconds since the epoch, as Stripe's API sends them. */
    private static final class EpochSeconds extends StdDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        EpochSeconds() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return Instant.ofEpochSecond(parser.getLongValue());
            }
            return (Instant) context.handleUnexpectedToken(Instant.class, parser);
        }
    }

    /** An enum of the key format module read by its label, through that module's own {@code fromLabel}. */
    private static final class ByLabel<E> extends StdDeserializer<E> {
        private static final long serialVersionUID = 1L;
        private final Class<E> type;
        private final transient Function<String, E> fromLabel;

        ByLabel(Class<E> type, Function<String, E> fromLabel) {
            super(type);
            this.type = type;
            this.fromLabel = fromLabel;
        }

        @Override
        public E deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String label = parser.getValueAsString();
            try {
                return fromLabel.apply(label);
            } catch (IllegalArgumentException e) {
                return type.cast(context.handleWeirdStringValue(type, label, e.getMessage()));
            }
        }
    }
}
