package io.cropsearch.search;

import java.time.Duration;

/** The moment a search must be finished by, on the monotonic clock. */
public record Deadline(long atNanos) {

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - System.nanoTime()));
    }

    public Deadline earlierOf(Deadline other) {
        return atNanos - other.atNanos <= 0 ? this : other;
    }
}
