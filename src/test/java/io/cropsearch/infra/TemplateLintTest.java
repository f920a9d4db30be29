package io.cropsearch.infra;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs cfn-lint, where it is installed, over both templates. cfn-lint applies the real SAM transform and then
 * CloudFormation's own rules, so it catches what reading the YAML cannot: circular dependencies (bucket, notification
 * permission, function, role), invalid property values, unknown attributes.
 */
class TemplateLintTest {

    @Test
    void bothTemplatesPassCfnLintWithTheSamTransform() throws Exception {
        Path cfnLint = onPath("cfn-lint");
        assumeTrue(cfnLint != null && runs(cfnLint), "cfn-lint is not installed (or does not run) on this machine");
        Process process = new ProcessBuilder(cfnLint.toString(), "--format", "parseable",
                TemplateTest.NATIVE_TEMPLATE.toString(), TemplateTest.JVM_TEMPLATE.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cfn-lint did not finish in 2 minutes");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "cfn-lint findings:\n" + output);
    }

    private static boolean runs(Path command) throws InterruptedException {
        try {
            Process version = new ProcessBuilder(command.toString(), "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(60, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path onPath(String command) throws IOException {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        return Arrays.stream(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
    }
}
