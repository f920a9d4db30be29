package io.cropsearch.match;

import io.cropsearch.embedded.EmbeddedMatchBackend;
import io.cropsearch.search.SearchBackends;
import io.cropsearch.search.verifik.VerifikMatchBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** The {@link MatchBackend} of the backend {@link SearchBackends} chose: 1:1 and 1:N always go to the same place. */
@ApplicationScoped
public class MatchBackends {

    @Produces
    @ApplicationScoped
    MatchBackend backend(SearchBackends backends, Instance<VerifikMatchBackend> verifik,
                         Instance<EmbeddedMatchBackend> embedded) {
        return backends.isEmbedded() ? embedded.get() : verifik.get();
    }
}
