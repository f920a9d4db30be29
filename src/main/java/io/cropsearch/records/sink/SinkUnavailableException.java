package io.cropsearch.records.sink;

/** The sink could not take or give a record right now; trying again later may work. */
public class SinkUnavailableException extends RuntimeException {

    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
