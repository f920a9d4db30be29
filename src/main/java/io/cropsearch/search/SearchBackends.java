package io.cropsearch.search;

import io.cropsearch.search.verifik.VerifikSearchBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** Picks the one {@link SearchBackend} the function runs with, from configuration, once. */
@ApplicationScoped
public class SearchBackends {
    private static final Logger LOG = Logger.getLogger(SearchBackends.class);

    @Produces
    @ApplicationScoped
    SearchBackend backend(VerifikSearchBackend verifik) {
        LOG.info("search backend: verifik");
        return verifik;
    }
}
