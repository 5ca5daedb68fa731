package dev.keygate.server.pages;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;

/** The HTML templates (in {@code src/main/jte}), compiled at build time into this package. */
public final class Pages {

    private Pages() {}

    public static TemplateEngine templates() {
        return TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(),
                Pages.class.getPackageName());
    }
}
