package io.cropsearch.observability;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.formatters.PatternFormatter;

import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Makes the handlers of one log category print the bare message, whatever the application's console format is.
 *
 * <p>Why: with {@code quarkus.log.console.json.enabled=true}, Quarkus 3.33 gives its JSON formatter to every console
 * handler, named ones included (a per-handler {@code json.enabled} does not exist yet: quarkusio/quarkus#53259), so
 * the {@code emf} handler's {@code format=%s%n} was ignored and each EMF line reached CloudWatch wrapped inside a JSON
 * log record, where CloudWatch does not extract metrics. {@code RawEmfLineTest} runs with JSON console logging on and
 * fails if the handler's output is anything but the bare line.
 */
final class RawLineFormat {
    static final String PATTERN = "%s%n";

    private RawLineFormat() {
    }

    static void apply(String category) {
        apply(Logger.getLogger(category).getHandlers());
    }

    // Into wrapped handlers too (an async console handler wraps the console handler that formats).
    private static void apply(Handler[] handlers) {
        for (Handler handler : handlers) {
            handler.setFormatter(new PatternFormatter(PATTERN));
            if (handler instanceof ExtHandler wrapper) {
                apply(wrapper.getHandlers());
            }
        }
    }
}
