package io.cropsearch.embedded;

import jakarta.enterprise.context.ApplicationScoped;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

/**
 * Takes the embedded gallery's load off the first search's path (measured in BENCHMARKS.md, "Start-up on Java 25").
 *
 * <ul>
 *   <li>On-demand start: the load runs on a thread of its own, started during init; it overlaps the engine's
 *   warm-up and the wait for the first event, and a search that comes before it is done waits for it (the gallery's
 *   lock) instead of loading again.</li>
 *   <li>SnapStart (init runs once, before the snapshot): never before the snapshot. A gallery loaded then would be
 *   frozen into every environment restored from it, however old, and enrolled faces would sit in the snapshot. The
 *   load starts right after each restore instead, through the CRaC {@code afterRestore} hook that Lambda calls.</li>
 * </ul>
 * A failed preload only logs: the first search then loads the gallery and reports what is wrong.
 * {@code crop-search.embedded.preload-gallery=false} turns it off (the load then waits for the first use).
 */
@ApplicationScoped
public class GalleryPreload implements Resource {
    private static final Logger LOG = Logger.getLogger(GalleryPreload.class);

    private final Gallery gallery;
    private final boolean enabled;

    @jakarta.inject.Inject
    public GalleryPreload(Gallery gallery, io.cropsearch.config.CropSearchConfig config) {
        this.gallery = gallery;
        this.enabled = config.embedded().preloadGallery();
    }

    /** @param beforeSnapshot whether this init ends in a SnapStart snapshot (then the load waits for the restore) */
    public void start(boolean beforeSnapshot) {
        if (!enabled) {
            return;
        }
        if (beforeSnapshot) {
            // The global context holds its resources weakly: this application-scoped bean keeps itself alive.
            Core.getGlobalContext().register(this);
        } else {
            loadInBackground("start-up");
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // Nothing is loaded before the snapshot.
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        loadInBackground("restore");
    }

    private void loadInBackground(String when) {
        Thread loader = new Thread(() -> {
            try {
                gallery.preload();
            } catch (RuntimeException e) {
                LOG.warnf("embedded gallery preload at %s failed, the first search loads it: %s", when, e.getMessage());
            }
        }, "gallery-preload");
        loader.setDaemon(true);
        loader.start();
    }
}
