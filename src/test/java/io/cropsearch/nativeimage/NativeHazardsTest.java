package io.cropsearch.nativeimage;

import io.cropsearch.embedded.Gallery;
import io.cropsearch.engine.nn.ModelWeights;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native-image hazards a plain JVM can see (docs/DEPLOY.md, "Native image checklist"). Quarkus initialises
 * application classes while building a native image, so whatever their static initialisers create lands in the image
 * heap; GraalVM refuses some of it (a Random's seed would be fixed at build time) and some of it would be wrong at run
 * time (a thread, an open file). tools/native/check.sh runs the real builder; these tests catch the same mistakes in
 * seconds, without it.
 */
class NativeHazardsTest {

    /** Types the image heap must not hold (GraalVM refuses the first two; the rest would be dead or stale at run time). */
    private static final List<Class<?>> REFUSED = List.of(Random.class, SplittableRandom.class, Thread.class,
            ExecutorService.class, InputStream.class, java.io.OutputStream.class, java.nio.channels.Channel.class,
            java.io.FileDescriptor.class, java.net.Socket.class);

    /** The engine's weight holders: loaded at run time (measured in docs/DEPLOY.md), never in the image heap. */
    private static final List<String> WEIGHT_HOLDERS = List.of("io.cropsearch.engine.face.FacePipeline$Holder",
            "io.cropsearch.engine.face.FaceEmbedder$Holder", "io.cropsearch.engine.face.FacePipeline$AgeGender");

    @Test
    void noApplicationClassPutsARandomThreadOrOpenFileIntoTheImageHeap() throws Exception {
        Set<String> runTime = runTimeInitialized();
        List<String> problems = new ArrayList<>();
        int initialised = 0;
        for (String name : applicationClasses()) {
            if (runTime.contains(name)) {
                continue; // initialised when the executable runs, as on the JVM: nothing of it is in the image heap
            }
            // What Quarkus's native build does with every application class it reaches: run its static initialiser.
            Class<?> type = Class.forName(name, true, NativeHazardsTest.class.getClassLoader());
            initialised++;
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                field.setAccessible(true);
                String refused = refusedIn(field.get(null));
                if (refused != null) {
                    problems.add(name + "." + field.getName() + " holds " + refused);
                }
            }
        }
        assertTrue(initialised > 100, "initialised " + initialised + " application classes");
        assertEquals(List.of(), problems, "static state the image heap must not hold");
    }

    @Test
    void theWalkFindsARandomHiddenInsideACollection() throws Exception {
        // Guards the test above against passing because it looked at nothing.
        assertEquals("java.security.SecureRandom",
                refusedIn(List.of(Map.of("k", new Holder(new java.security.SecureRandom())))));
        assertEquals("java.lang.Thread", refusedIn(new Object[] {new Holder(new Thread(() -> { }))}));
        assertNull(refusedIn(List.of(Map.of("k", new Holder("plain"), "l", new int[] {1}))));
    }

    private record Holder(Object value) {
    }

    @Test
    void theEngineWeightHoldersAreInitialisedAtRunTime() throws Exception {
        Set<String> runTime = runTimeInitialized();
        for (String holder : WEIGHT_HOLDERS) {
            assertTrue(runTime.contains(holder), holder + " must be listed with --initialize-at-run-time");
        }
        for (String name : runTime) {
            // A misspelt name would leave the class at build time without a word from the builder.
            Class.forName(name, false, NativeHazardsTest.class.getClassLoader());
        }
    }

    @Test
    void gallerysIdsNeedNoRandomOfItsOwn() {
        String a = Gallery.newId();
        String b = Gallery.newId();
        assertTrue(a.matches("[0-9a-f]{24}"), a);
        assertFalse(a.equals(b), "two ids drawn in a row differ");
    }

    @Test
    void noApplicationClassUsesAwtImageIoOrJni() throws Exception {
        // javax.imageio/java.awt need the quarkus-awt extension and JDK native libraries beside a native executable;
        // JNI needs registration and a shared library. The application has none of them, and must stay so.
        Path classes = classesRoot();
        List<String> problems = new ArrayList<>();
        for (String name : applicationClasses()) {
            byte[] bytes = Files.readAllBytes(classes.resolve(name.replace('.', '/') + ".class"));
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String banned : List.of("java/awt/", "javax/imageio/", "loadLibrary")) {
                if (text.contains(banned)) {
                    problems.add(name + " refers to " + banned);
                }
            }
            for (Method method : Class.forName(name, false, NativeHazardsTest.class.getClassLoader()).getDeclaredMethods()) {
                if (Modifier.isNative(method.getModifiers())) {
                    problems.add(name + "." + method.getName() + " is native");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyResourceTheApplicationReadsIsIncludedInTheNativeImage() throws Exception {
        Properties properties = applicationProperties();
        String includes = properties.getProperty("quarkus.native.resources.includes");
        assertTrue(includes != null && !includes.isBlank(), "quarkus.native.resources.includes is set");
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : includes.split(",")) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.trim()));
        }
        // The only classpath resources read at run time are the engine's: manifests and the shards they name.
        Path classes = classesRoot();
        Path engine = classes.resolve(ModelWeights.RESOURCE_DIR.substring(1));
        List<String> read = new ArrayList<>();
        try (Stream<Path> files = Files.list(engine)) {
            for (Path manifest : files.filter(p -> p.toString().endsWith("-weights_manifest.json")).toList()) {
                read.add(classes.relativize(manifest).toString());
                Matcher shard = Pattern.compile("\"([^\"]+\\.bin)\"").matcher(Files.readString(manifest));
                while (shard.find()) {
                    read.add(classes.relativize(engine.resolve(shard.group(1))).toString());
                }
            }
        }
        assertTrue(read.size() >= 8, "manifests and shards found: " + read);
        for (String resource : read) {
            assertTrue(Files.isRegularFile(classes.resolve(resource)), resource + " exists");
            assertTrue(matchers.stream().anyMatch(m -> m.matches(Path.of(resource))),
                    resource + " is read at run time but not in quarkus.native.resources.includes=" + includes);
        }
    }

    /** The first refused type reachable from value, or null. Walks collections, arrays and the fields of objects. */
    private static String refusedIn(Object root) throws IllegalAccessException {
        Deque<Object> todo = new ArrayDeque<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        if (root != null) {
            todo.add(root);
        }
        while (!todo.isEmpty() && seen.size() < 200_000) {
            Object o = todo.poll();
            if (seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            Class<?> type = o.getClass();
            for (Class<?> refused : REFUSED) {
                if (refused.isInstance(o)) {
                    return type.getName();
                }
            }
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    for (int i = 0; i < Array.getLength(o); i++) {
                        addIfObject(todo, Array.get(o, i));
                    }
                }
                continue;
            }
            if (o instanceof Collection<?> c) {
                c.forEach(e -> addIfObject(todo, e));
            } else if (o instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    addIfObject(todo, k);
                    addIfObject(todo, v);
                });
            }
            if (o instanceof Class<?> || o instanceof org.jboss.logging.Logger || o instanceof java.util.logging.Logger) {
                // Loggers: Quarkus's native build installs the log handlers at run time (its own substitutions).
                continue;
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()
                            || !field.trySetAccessible()) {
                        continue; // JDK internals stay closed; their contents are reached through the public API above
                    }
                    addIfObject(todo, field.get(o));
                }
            }
        }
        return null;
    }

    private static void addIfObject(Deque<Object> todo, Object o) {
        if (o != null && !(o instanceof String) && !(o instanceof Number) && !(o instanceof Boolean)) {
            todo.add(o);
        }
    }

    /** Class names given to the builder with --initialize-at-run-time in application.properties. */
    static Set<String> runTimeInitialized() throws IOException {
        String args = applicationProperties().getProperty("quarkus.native.additional-build-args", "");
        Set<String> names = new LinkedHashSet<>();
        // Quarkus splits the value at commas; a comma inside one builder argument is written \, (here: \\, in Java).
        for (String arg : args.split("(?<!\\\\),")) {
            arg = arg.trim().replace("\\,", ",");
            if (arg.startsWith("--initialize-at-run-time=")) {
                for (String name : arg.substring("--initialize-at-run-time=".length()).split(",")) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    private static Path classesRoot() throws URISyntaxException {
        return Path.of(Gallery.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<String> applicationClasses() throws IOException, URISyntaxException {
        Path root = classesRoot();
        try (Stream<Path> files = Files.walk(root.resolve("io/cropsearch"))) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .sorted()
                    .toList();
        }
    }
}
