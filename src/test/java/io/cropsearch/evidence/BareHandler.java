package io.cropsearch.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A handler that does nothing: it reads the event and answers a fixed API Gateway response. Run under the same runtime
 * interface client and {@link RuntimeApiEmulator} as the function, it measures the floor every Java Lambda function pays
 * per event on this machine (the Runtime API exchange and the client's dispatch), which no function code can remove.
 *
 * <p>It does not implement {@code RequestStreamHandler}: Quarkus' test build would then see a second handler next to
 * the HTTP extension's and refuse to start. The runtime interface client accepts a plain
 * {@code (InputStream, OutputStream)} method as a stream handler.
 */
public final class BareHandler {
    private static final byte[] RESPONSE = ("{\"statusCode\":401,\"headers\":{\"Content-Type\":\"application/json\"},"
            + "\"body\":\"{\\\"message\\\":\\\"Authentication required\\\",\\\"code\\\":\\\"UNAUTHORIZED\\\"}\","
            + "\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8);

    public void handleRequest(InputStream input, OutputStream output) throws IOException {
        input.readAllBytes();
        output.write(RESPONSE);
    }
}
