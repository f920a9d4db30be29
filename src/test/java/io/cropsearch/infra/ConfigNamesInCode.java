package io.cropsearch.infra;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variable names that the function's own code reads, found in {@code src/main}: variables named in
 * {@code ${NAME}} expressions of application.properties, string literals such as {@code System.getenv("NAME")}, and
 * the environment form (SmallRye: non-alphanumerics to {@code _}, upper case) of every configuration key, whether
 * written in application.properties, in a string literal ({@code @ConfigProperty(name = "...")}) or derived from a
 * {@code @ConfigMapping} interface. Comments never count: a variable mentioned only in Javadoc is not read.
 */
final class ConfigNamesInCode {
    private static final Pattern PROPERTY_EXPRESSION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern CONFIG_KEY = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9\"*-]+)+");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** Each name, with where it was found (for failure messages). */
    final Map<String, String> names = new TreeMap<>();

    static ConfigNamesInCode scan(Path mainSources) {
        ConfigNamesInCode found = new ConfigNamesInCode();
        found.scanProperties(mainSources.resolve("resources/application.properties"));
        try (Stream<Path> files = Files.walk(mainSources.resolve("java"))) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(found::scanJava);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    boolean reads(String envName) {
        return names.containsKey(envName);
    }

    /** SmallRye Config's environment variable form of a property name. */
    static String envForm(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private void scanProperties(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        for (String line : read(file).split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            String key = (eq < 0 ? trimmed : trimmed.substring(0, eq)).strip();
            String value = eq < 0 ? "" : trimmed.substring(eq + 1);
            String unprofiled = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            names.putIfAbsent(envForm(unprofiled), "application.properties key " + key);
            Matcher m = PROPERTY_EXPRESSION.matcher(value);
            while (m.find()) {
                names.putIfAbsent(m.group(1), "application.properties expression in " + key);
            }
        }
    }

    private void scanJava(Path file) {
        String code = withoutComments(read(file));
        Matcher literal = STRING_LITERAL.matcher(code);
        while (literal.find()) {
            String text = literal.group(1);
            if (ENV_NAME.matcher(text).matches()) {
                names.putIfAbsent(text, "string literal in " + file.getFileName());
            } else if (CONFIG_KEY.matcher(text).matches()) {
                names.putIfAbsent(envForm(text), "config key \"" + text + "\" in " + file.getFileName());
            }
        }
        Matcher mapping = CONFIG_MAPPING.matcher(code);
        if (mapping.find()) {
            Matcher pkg = PACKAGE.matcher(code);
            String simpleName = file.getFileName().toString().replace(".java", "");
            String className = (pkg.find() ? pkg.group(1) + "." : "") + simpleName;
            try {
                Class<?> type = Class.forName(className, false, getClass().getClassLoader());
                String prefix = type.getAnnotation(ConfigMapping.class).prefix();
                collectMapping(type, prefix, className);
            } catch (ClassNotFoundException e) {
                throw new AssertionError("@ConfigMapping " + className + " is not on the test classpath", e);
            }
        }
    }

    private void collectMapping(Class<?> group, String prefix, String origin) {
        for (Method method : group.getMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Class<?> valueType = method.getReturnType();
            Type generic = method.getGenericReturnType();
            if (valueType == Optional.class && generic instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> inner) {
                valueType = inner;
            }
            String key;
            if (method.isAnnotationPresent(WithParentName.class)) {
                key = prefix;
            } else {
                WithName withName = method.getAnnotation(WithName.class);
                key = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            }
            if (valueType.isInterface() && valueType.getName().startsWith("io.cropsearch.")) {
                collectMapping(valueType, key, origin);
            } else {
                names.putIfAbsent(envForm(key), "@ConfigMapping key " + key + " (" + origin + ")");
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Java source without its comments, lines kept; string and char literals are kept as they are. */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '"' && source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                out.append(source, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j + 1, n);
                out.append(source, i, j);
                i = j;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(' ');
                // Keep the line count, so that positions in the result are positions in the source.
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
