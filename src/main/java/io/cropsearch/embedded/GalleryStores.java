package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.config.CropSearchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;

/**
 * Picks the one {@link GalleryStore}: the DynamoDB table when {@code GALLERY_TABLE} is set, else the local file. The
 * DynamoDB client is only asked for in the first case, so the offline default starts without AWS credentials, region
 * or network.
 */
@ApplicationScoped
public class GalleryStores {
    private static final Logger LOG = Logger.getLogger(GalleryStores.class);

    @Produces
    @ApplicationScoped
    GalleryStore store(CropSearchConfig config, Instance<DynamoDbClient> dynamoDb, ObjectMapper json) {
        CropSearchConfig.Embedded embedded = config.embedded();
        GalleryStore store = embedded.galleryTable().isPresent()
                ? new DynamoDbGalleryStore(dynamoDb.get(), embedded.galleryTable().get())
                : new FileGalleryStore(Path.of(embedded.galleryFile()), json);
        LOG.infof("embedded gallery store: %s", store.describe());
        return store;
    }
}
