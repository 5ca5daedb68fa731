package dev.keygate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading what the rotation flow (SPEC section 6) shows: the keys table's rows, the rotation id a
 * request redirects to, and the 6-digit code in a mail.
 *
 * <pre>{@code
 * String rotationId = RotationPages.rotationId(browser.submit("/dashboard/keys/" + keyId + "/rotate", "grace", "24h"));
 * String code = RotationPages.code(mail.text());
 * }</pre>
 */
final class RotationPages {

    /** The subject every code's mail starts with. */
    static final String CODE_SUBJECT = "Your Keygate code";
    static final Pattern ROTATION_PATH = Pattern.compile("^/dashboard/rotations/(rot_[0-9A-Za-z]{16})$");
    /** The code stands alone on an indented line of the mail. */
    private static final Pattern CODE = Pattern.compile("(?m)^\\s+(\\d{6})\\s*$");
    private static final Pattern KEY_ROW = Pattern.compile("<tr class=\"key-row ?([^\"]*)\" data-key-id=\"(key_[0-9A-Za-z]{16})\">"
            + "\\s*<td[^>]*>(.*?)</td>\\s*<td>(.*?)</td>\\s*<td><code>(.*?)</code>(.*?)</td>\\s*<td[^>]*>(.*?)</td>"
            + "\\s*<td[^>]*>(.*?)</td>\\s*<td><span class=\"status status-\\w+\">(.*?)</span></td>\\s*<td[^>]*>(.*?)</td>"
            + "\\s*<td class=\"row-actions\">(.*?)</td>", Pattern.DOTALL);

    /** A key as the keys table lists it. */
    record KeyRow(String id, String name, String type, String masked, String flags, String created, String lastUsed,
            String status, String expires, String actions, String cssClass) {

        /** The whole row's text, flags and actions included. */
        String text() {
            return String.join(" ", name, type, masked, flags, created, lastUsed, status, expires, actions, cssClass);
        }
    }

    private RotationPages() {}

    /** Every row of a keys page. */
    static List<KeyRow> keyRows(String html) {
        List<KeyRow> rows = new ArrayList<>();
        Matcher row = KEY_ROW.matcher(html);
        while (row.find()) {
            rows.add(new KeyRow(row.group(2), row.group(3), row.group(4), row.group(5), row.group(6).strip(),
                    row.group(7), row.group(8), row.group(9), row.group(10), row.group(11).strip(), row.group(1)));
        }
        return rows;
    }

    /** The one row of a keys page with this id. */
    static KeyRow keyRow(String html, String keyId) {
        List<KeyRow> rows = keyRows(html).stream().filter(row -> row.id().equals(keyId)).toList();
        assertThat(rows).as("rows of %s in the keys page", keyId).hasSize(1);
        return rows.get(0);
    }

    /** The rotation a successful request redirects to, checked to be a {@code 303}. */
    static String rotationId(HttpResponse<String> requested) {
        assertThat(requested.statusCode()).as("asking for a code: %s", requested.body()).isEqualTo(303);
        String location = requested.headers().firstValue("Location").orElseThrow();
        Matcher path = ROTATION_PATH.matcher(location);
        assertThat(path.matches()).as("redirect to %s", location).isTrue();
        return path.group(1);
    }

    /** The 6-digit code in a code mail's text. */
    static String code(String mailText) {
        Matcher code = CODE.matcher(mailText);
        assertThat(code.find()).as("a code in the mail:\n%s", mailText).isTrue();
        return code.group(1);
    }

    /** A 6-digit code that is not {@code code}. */
    static String wrong(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    /** The text of an HTML page without its tags, whitespace collapsed, entities of text decoded. */
    static String text(String html) {
        return html.replaceAll("(?s)<[^>]*>", " ").replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"")
                .replaceAll("\\s+", " ").strip();
    }
}
