package io.cropsearch.search;

import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.embedded.EmbeddedDetectBackend;
import io.cropsearch.embedded.EmbeddedSearchBackend;
import io.cropsearch.search.verifik.VerifikDetectBackend;
import io.cropsearch.search.verifik.VerifikSearchBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.util.Locale;

/**
 * Picks the one {@link SearchBackend} the function runs with, once: {@code SEARCH_BACKEND} when set, else
 * {@code verifik} when the function has a {@code VERIFIK_TOKEN}, else the offline {@code embedded} engine.
 */
@ApplicationScoped
public class SearchBackends {
    private static final Logger LOG = Logger.getLogger(SearchBackends.class);

    public static final String VERIFIK = "verifik";
    public static final String EMBEDDED = "embedded";

    private final CropSearchConfig config;

    public SearchBackends(CropSearchConfig config) {
        this.config = config;
    }

    public String chosen() {
        String name = config.backend().map(b -> b.trim().toLowerCase(Locale.ROOT)).filter(b -> !b.isEmpty())
                .orElse(config.verifikToken().isPresent() ? VERIFIK : EMBEDDED);
        if (!name.equals(VERIFIK) && !name.equals(EMBEDDED)) {
            throw new IllegalStateException("SEARCH_BACKEND must be verifik or embedded, not " + name);
        }
        return name;
    }

    public boolean isEmbedded() {
        return chosen().equals(EMBEDDED);
    }

    @Produces
    @ApplicationScoped
    SearchBackend backend(Instance<VerifikSearchBackend> verifik, Instance<EmbeddedSearchBackend> embedded) {
        String name = chosen();
        LOG.infof("search backend: %s", name);
        return name.equals(EMBEDDED) ? embedded.get() : verifik.get();
    }

    /** The {@code /detect} backend of the same choice. */
    @Produces
    @ApplicationScoped
    DetectBackend detectBackend(Instance<VerifikDetectBackend> verifik, Instance<EmbeddedDetectBackend> embedded) {
        return isEmbedded() ? embedded.get() : verifik.get();
    }
}
