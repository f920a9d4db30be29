package io.cropsearch.auth;

import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.search.SearchBackends;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * The embedded backend checks no token (it has no upstream to ask): it only requires one to be present. On AWS that
 * would let anyone enrol, delete and search faces, so there it starts only when an API Gateway authorizer guards the
 * API ({@code API_GUARDED_BY_AUTHORIZER=true}, which the templates set next to their JWT authorizer). Local runs stay
 * open and say so once. The Verifik backend is not concerned: Verifik checks every caller's token itself.
 */
@ApplicationScoped
public class OpenApiGuard {
    private static final Logger LOG = Logger.getLogger(OpenApiGuard.class);

    static final String REFUSED = "refusing to start: the embedded backend accepts any bearer token and no authorizer "
            + "guards this API on AWS; deploy with the template's JWT authorizer (API_GUARDED_BY_AUTHORIZER=true) "
            + "or use SEARCH_BACKEND=verifik (docs/DEPLOY.md, Authentication on AWS)";
    static final String OPEN = "the embedded backend is open: any bearer token is accepted (fine for local use; on "
            + "AWS it needs an authorizer, docs/DEPLOY.md)";

    private final SearchBackends backends;
    private final CropSearchConfig config;

    public OpenApiGuard(SearchBackends backends, CropSearchConfig config) {
        this.backends = backends;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        String open = check(System.getenv(), backends.isEmbedded(), config.auth().guardedByAuthorizer());
        if (open != null) {
            LOG.warn(open);
        }
    }

    /**
     * @return the line to log once when the API is open but may be (local runs), or null when nothing needs saying
     * @throws IllegalStateException (after logging the reason as one line) when the function must not start
     */
    static String check(Map<String, String> environment, boolean embedded, boolean guardedByAuthorizer) {
        if (!embedded || guardedByAuthorizer) {
            return null;
        }
        if (onAws(environment)) {
            LOG.error(REFUSED);
            throw new IllegalStateException(REFUSED);
        }
        return OPEN;
    }

    /** Lambda sets these in every execution environment; nothing else does. */
    static boolean onAws(Map<String, String> environment) {
        return present(environment.get("AWS_LAMBDA_FUNCTION_NAME")) || present(environment.get("AWS_EXECUTION_ENV"));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
