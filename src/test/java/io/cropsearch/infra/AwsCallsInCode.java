package io.cropsearch.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The IAM actions that the function's AWS SDK v2 calls need, found in the sources of {@code src/main/java}: in each
 * file that imports an SDK service package, every call of one of that client's operations. The operations listed are
 * those a function like this one could plausibly make; an unlisted one is not recognised.
 */
final class AwsCallsInCode {
    private static final Map<String, Map<String, List<String>>> ACTIONS = Map.of(
            "software.amazon.awssdk.services.s3", Map.of(
                    "getObject", List.of("s3:GetObject"),
                    "headObject", List.of("s3:GetObject"),
                    "getObjectAttributes", List.of("s3:GetObject", "s3:GetObjectAttributes"),
                    "getObjectTagging", List.of("s3:GetObjectTagging"),
                    "putObject", List.of("s3:PutObject"),
                    "copyObject", List.of("s3:GetObject", "s3:PutObject"),
                    "deleteObject", List.of("s3:DeleteObject"),
                    "deleteObjects", List.of("s3:DeleteObject"),
                    "listObjects", List.of("s3:ListBucket"),
                    "listObjectsV2", List.of("s3:ListBucket")),
            "software.amazon.awssdk.services.dynamodb", Map.of(
                    "getItem", List.of("dynamodb:GetItem"),
                    "putItem", List.of("dynamodb:PutItem"),
                    "updateItem", List.of("dynamodb:UpdateItem"),
                    "deleteItem", List.of("dynamodb:DeleteItem"),
                    "query", List.of("dynamodb:Query"),
                    "scan", List.of("dynamodb:Scan"),
                    "batchGetItem", List.of("dynamodb:BatchGetItem"),
                    "batchWriteItem", List.of("dynamodb:BatchWriteItem"),
                    "transactWriteItems", List.of("dynamodb:ConditionCheckItem", "dynamodb:PutItem",
                            "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
                    "createTable", List.of("dynamodb:CreateTable")),
            "software.amazon.awssdk.services.sqs", Map.of(
                    "sendMessage", List.of("sqs:SendMessage"),
                    "sendMessageBatch", List.of("sqs:SendMessage")),
            "software.amazon.awssdk.services.secretsmanager", Map.of(
                    "getSecretValue", List.of("secretsmanager:GetSecretValue")));

    private AwsCallsInCode() {
    }

    /** Needed action to the first call site that needs it. */
    static Map<String, String> scan(Path javaSources) {
        Map<String, String> needed = new TreeMap<>();
        try (Stream<Path> files = Files.walk(javaSources)) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(file -> {
                String code = ConfigNamesInCode.withoutComments(read(file));
                ACTIONS.forEach((servicePackage, operations) -> {
                    if (!code.contains("import " + servicePackage + ".")) {
                        return;
                    }
                    operations.forEach((operation, actions) -> {
                        Matcher call = Pattern.compile("\\.\\s*" + operation + "\\s*\\(").matcher(code);
                        if (call.find()) {
                            int line = 1 + (int) code.substring(0, call.start()).chars().filter(c -> c == '\n').count();
                            String site = file.getFileName() + ":" + line + " " + operation;
                            actions.forEach(a -> needed.putIfAbsent(a, site));
                            // Reading a given version of an object is an action of its own.
                            if (operation.equals("getObject") || operation.equals("headObject")) {
                                if (Pattern.compile("\\.\\s*versionId\\s*\\(").matcher(code).find()) {
                                    needed.putIfAbsent("s3:GetObjectVersion", site + " with versionId");
                                }
                            }
                        }
                    });
                });
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return needed;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
