package dev.keygate.server;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;

/** The HTML templates (in {@code src/main/jte}), compiled at build time into this package. */
final class Pages {

    private Pages() {}

    static TemplateEngine templates() {
        return TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(),
                Pages.class.getPackageName());
    }
}
