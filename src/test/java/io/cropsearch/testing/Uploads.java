package io.cropsearch.testing;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.util.Map;

/** Puts objects into the test bucket as an uploader would, user metadata included. */
public final class Uploads {

    private Uploads() {
    }

    /** @return the object's eTag without quotes, as S3 notifications carry it */
    public static String put(String key, byte[] bytes, Map<String, String> metadata) {
        try (S3Client client = S3ProxyServer.client()) {
            PutObjectResponse response = client.putObject(b -> b.bucket(AwsServersProfile.BUCKET).key(key)
                    .metadata(metadata), RequestBody.fromBytes(bytes));
            return response.eTag().replace("\"", "");
        }
    }
}
