package io.cropsearch.packaged;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the packaged function under test has logged so far (its output file, named by {@link RuntimeClientLauncher}). */
final class FunctionLog {
    static final String PROPERTY = "crop-search.it.function-log";
    private static final Pattern WEIGHTS_READ = Pattern.compile("face engine: (\\S+) weights read in");

    private FunctionLog() {
    }

    static String text() {
        String path = System.getProperty(PROPERTY);
        if (path == null) {
            throw new IllegalStateException("no packaged function was started (" + PROPERTY + " unset)");
        }
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nets whose weights the function has read, in order ({@code ModelWeights.loadBundled} logs each). */
    static List<String> netsRead() {
        Matcher m = WEIGHTS_READ.matcher(text());
        List<String> nets = new java.util.ArrayList<>();
        while (m.find()) {
            nets.add(m.group(1));
        }
        return nets;
    }
}
