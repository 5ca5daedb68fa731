package dev.keygate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads request bodies (SPEC section 5): JSON only ({@code 415} otherwise), into a record whose
 * every field is checked by Jackson: unknown fields, wrong types and coercions ("100" for a
 * number, 1.5 for an integer) are refused as {@code 400 invalid_request} naming the field.
 * Nesting depth and the sizes of strings and numbers are bounded in the parser; the body size
 * (64 KiB) is bounded before it is read at all.
 */
final class JsonBody {

    /** Largest request body, in bytes. */
    static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(8)
                            .maxStringLength(MAX_BYTES)
                            .maxNumberLength(20)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private JsonBody() {}

    /**
     * The body as {@code type}; an empty body reads as {@code {}} so that all-optional bodies may be left out.
     *
     * @throws ApiException {@code 415} for a body that is not {@code application/json}, {@code 400} for a bad one
     */
    static <T> T read(RoutingContext ctx, Class<T> type) {
        Buffer body = ctx.body().buffer();
        boolean empty = body == null || body.length() == 0;
        String contentType = ctx.request().getHeader("Content-Type");
        if (!empty && (contentType == null || !isJson(contentType))) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
        }
        try {
            return MAPPER.readValue(empty ? new byte[] {'{', '}'} : body.getBytes(), type);
        } catch (UnrecognizedPropertyException e) {
            throw invalid(e.getPropertyName(), "Unknown field: " + e.getPropertyName() + ".");
        } catch (StreamConstraintsException e) {
            throw invalid(null, "The body is nested too deeply or has a value that is too long.");
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw invalid(field.isEmpty() ? null : field, field.isEmpty()
                    ? "The body must be a JSON object."
                    : "Field " + field + " has the wrong type: " + expected(e) + ".");
        } catch (JsonMappingException e) {
            String field = path(e);
            throw invalid(field.isEmpty() ? null : field, "The body could not be read"
                    + (field.isEmpty() ? "" : " at field " + field) + ".");
        } catch (JsonProcessingException e) {
            throw invalid(null, "The body is not valid JSON.");
        } catch (IOException e) {
            throw invalid(null, "The body could not be read.");
        }
    }

    /** A serializer for response bodies. */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].strip();
        return mediaType.equalsIgnoreCase("application/json");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null
                        ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "see the API reference";
        }
        if (target == Long.class || target == long.class || target == Integer.class || target == int.class) {
            return "expected a whole number";
        }
        if (target == String.class) {
            return "expected a string";
        }
        if (java.util.Map.class.isAssignableFrom(target)) {
            return "expected an object of strings";
        }
        return "expected " + target.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static ApiException invalid(String param, String detail) {
        return new ApiException(ErrorCode.INVALID_REQUEST, detail, param, java.util.Map.of());
    }
}
