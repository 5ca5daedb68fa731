package dev.keygate.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/**
 * Reads request bodies (SPEC section 5): JSON only ({@code 415} otherwise), into a record whose
 * every field is checked by Jackson: unknown fields, wrong types and coercions ("100" for a
 * number, 1.5 for an integer) are refused as {@code 400 invalid_request} naming the field.
 * Nesting depth and the sizes of strings and numbers are bounded in the parser; the body size
 * (64 KiB) is bounded before it is read at all.
 */
public final class JsonBody {

    /** Largest request body, in bytes. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = strict(JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(8)
                            .maxStringLength(MAX_BYTES)
                            .maxNumberLength(20)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build());

    /** No coercion into strings either: {@code "description": 5} is refused, not stored as "5". */
    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    private JsonBody() {}

    /**
     * The body as {@code type}; an empty body reads as {@code {}} so that all-optional bodies may be left out.
     *
     * @throws ApiException {@code 415} for a body that is not {@code application/json}, {@code 400} for a bad one
     */
    public static <T> T read(RoutingContext ctx, Class<T> type) {
        Buffer body = ctx.body().buffer();
        return parse(body == null ? new byte[0] : body.getBytes(), ctx.request().getHeader("Content-Type"), type);
    }

    /**
     * {@code body}, sent with {@code contentType} (null when none), as {@code type}: what
     * {@link #read} does once the body is in memory.
     *
     * @throws ApiException {@code 415} for a body that is not {@code application/json}, {@code 400} for a bad
     *     one; never anything else
     */
    public static <T> T parse(byte[] body, String contentType, Class<T> type) {
        boolean empty = body.length == 0;
        // A form body may have been read into attributes, leaving the buffer empty: judge by the type.
        if (contentType != null ? !isJson(contentType) : !empty) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
        }
        try {
            T value = MAPPER.readValue(empty ? new byte[] {'{', '}'} : body, type);
            if (value == null) {
                throw invalid(null, "The body must be a JSON object.");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = UrlText.printableName(e.getPropertyName());
            throw invalid(field, "Unknown field: " + field + ".");
        } catch (StreamConstraintsException e) {
            throw invalid(null, "The body is nested too deeply or has a value that is too long.");
        } catch (MismatchedInputException e) {
            String field = shownPath(e);
            throw invalid(field.isEmpty() ? null : field, field.isEmpty()
                    ? "The body must be a JSON object."
                    : "Field " + field + " has the wrong type: " + expected(e) + ".");
        } catch (JsonMappingException e) {
            String field = shownPath(e);
            throw invalid(field.isEmpty() ? null : field, "The body could not be read"
                    + (field.isEmpty() ? "" : " at field " + field) + ".");
        } catch (JsonProcessingException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
                throw invalid(null, "The body has a field twice.");
            }
            throw invalid(null, "The body is not valid JSON.");
        } catch (IOException e) {
            throw invalid(null, "The body could not be read.");
        }
    }

    /** A serializer for response bodies. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].strip();
        return mediaType.equalsIgnoreCase("application/json");
    }

    /** {@link #path}, as an error may show it (a metadata key may be long or odd); empty for the body itself. */
    private static String shownPath(JsonMappingException e) {
        String path = path(e);
        return path.isEmpty() ? path : UrlText.printableName(path);
    }

    /** The field as the API names it: {@code amount}, {@code metadata[order]}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() == null) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFrom() instanceof java.util.Map<?, ?> && !path.isEmpty()) {
                path.append('[').append(reference.getFieldName()).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            }
        }
        return path.toString();
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
