package dev.keygate.server.pages;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;

/**
 * The HTML templates (in {@code src/main/jte}), compiled at build time into a package of their
 * own, {@value #TEMPLATES}: they read the view records of the pages that render them, so they may
 * not share a package with this class, which those pages use.
 */
public final class Pages {

    static final String TEMPLATES = "dev.keygate.server.pages.templates";

    private Pages() {}

    public static TemplateEngine templates() {
        return TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(), TEMPLATES);
    }
}
