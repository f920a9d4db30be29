package io.cropsearch.secrets;

/**
 * A secret could not be read (Secrets Manager unreachable, access denied, no such secret, no SecretString). The
 * message names the secret id and the cause's type, never a value.
 */
public class SecretUnavailableException extends RuntimeException {
    public SecretUnavailableException(String message) {
        super(message, null, false, false);
    }
}
