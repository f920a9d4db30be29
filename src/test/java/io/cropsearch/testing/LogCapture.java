package io.cropsearch.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures every log record of the test JVM (Quarkus routes all logging through the JBoss LogManager, which is the
 * java.util.logging manager in tests), rendered with parameters and stack traces, so tests can search them.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final Logger root;

    private LogCapture(String category) {
        this.root = Logger.getLogger(category);
    }

    public static LogCapture start() {
        return start("");
    }

    /** Captures one category, for categories that do not reach the root handlers. */
    public static LogCapture start(String category) {
        LogCapture capture = new LogCapture(category);
        capture.setLevel(Level.ALL);
        capture.root.addHandler(capture);
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + " ");
        String message = record.getMessage();
        Object[] params = record.getParameters();
        if (message != null && params != null && params.length > 0) {
            try {
                message = message.contains("%") ? String.format(message, params)
                        : java.text.MessageFormat.format(message, params);
            } catch (RuntimeException e) {
                message = message + " " + java.util.Arrays.toString(params);
            }
        }
        line.append(message);
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
            for (StackTraceElement element : t.getStackTrace()) {
                line.append(" at ").append(element);
            }
        }
        lines.add(line.toString());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
