package io.cropsearch.observability;

import io.cropsearch.testing.Requests;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the production log settings (JSON console logs), the EMF handler must still print each metrics line bare:
 * CloudWatch extracts metrics only from log events that are the EMF object itself. Guards {@link RawLineFormat}.
 */
@QuarkusTest
@TestProfile(RawEmfLineTest.JsonConsole.class)
@QuarkusTestResource(UpstreamStub.class)
class RawEmfLineTest {

    public static class JsonConsole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.console.json.enabled", "true",
                    "quarkus.log.handler.console.\"emf\".level", "INFO");
        }
    }

    @Test
    void theEmfHandlerPrintsTheBareLineWhileOtherLogsAreJson() {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(200).withBody(UpstreamStub.DOC_RESPONSE)));
        Requests.post(Requests.validBody()).statusCode(200); // the first search creates SearchMetrics

        String emf = "{\"_aws\":{\"Timestamp\":1},\"Latency\":3}";
        LogRecord record = new LogRecord(Level.INFO, emf);
        record.setLoggerName(SearchMetrics.CATEGORY);
        Handler[] handlers = Logger.getLogger(SearchMetrics.CATEGORY).getHandlers();
        assertTrue(handlers.length > 0, "the metrics category has its own handler");
        for (Handler handler : handlers) {
            assertEquals(emf + System.lineSeparator(), handler.getFormatter().format(record), handler.toString());
        }
        // and the application's other console output really is JSON here, which is what made the fix necessary
        assertTrue(anyJson(Logger.getLogger("").getHandlers(), record), "JSON console logging is on in this profile");
    }

    // Quarkus nests its handlers (delayed, async wrappers), so look inside them too.
    private static boolean anyJson(Handler[] handlers, LogRecord record) {
        for (Handler handler : handlers) {
            if (handler.getFormatter() != null && handler.getFormatter().format(record).startsWith("{")) {
                return true;
            }
            if (handler instanceof org.jboss.logmanager.ExtHandler ext && anyJson(ext.getHandlers(), record)) {
                return true;
            }
        }
        return false;
    }
}
