package io.cropsearch.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The contract's error shape, the only body an error response ever has. Serialised by Jackson, also in a native image. */
@RegisterForReflection
public record ErrorBody(String message, String code) {
}
