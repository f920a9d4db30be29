package io.cropsearch.entrypoints;

import io.cropsearch.config.CropSearchConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Guards the demo page (the static files {@code /index.html} and {@code /demo/*} under META-INF/resources). Quarkus
 * serves those files in every mode, so without this filter the packaged function would show the page on AWS: while
 * {@code crop-search.demo-ui.enabled} is off ({@code DEMO_UI}, off by default, on in dev mode) the page answers 404 in
 * the contract's error shape. While on, every page response carries a strict Content-Security-Policy: the page's own
 * scripts, styles and API only, nothing inline, nothing from elsewhere.
 */
@ApplicationScoped
public class DemoPageFilter {
    /**
     * {@code img-src data: blob:} for the thumbnails (base64 in the API's JSON) and the chosen files' previews;
     * {@code media-src blob: mediastream:} for the camera preview.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; media-src 'self' blob: mediastream:; form-action 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'";
    /** Before the static-resource handler and the REST layer. */
    private static final int PRIORITY = 100;

    private final CropSearchConfig config;

    public DemoPageFilter(CropSearchConfig config) {
        this.config = config;
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext context) {
        if (!isDemoPage(context.normalizedPath())) {
            context.next();
            return;
        }
        if (!config.demoUi().enabled()) {
            context.response().setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"message\":\"Not found\",\"code\":\"NotFound\"}");
            return;
        }
        context.response()
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-store");
        context.next();
    }

    static boolean isDemoPage(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/demo/");
    }
}
