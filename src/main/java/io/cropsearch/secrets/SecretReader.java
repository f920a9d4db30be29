package io.cropsearch.secrets;

/** Reads the current SecretString of one secret. */
public interface SecretReader {

    /** @throws SecretUnavailableException when no value can be had; its message never holds a value */
    String read(String secretId);
}
