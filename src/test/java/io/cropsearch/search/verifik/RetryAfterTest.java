package io.cropsearch.search.verifik;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 9110's Retry-After: delay-seconds, the three HTTP-date forms, and everything else treated as absent. */
class RetryAfterTest {
    /** RFC 9110's own example instant, Sun, 06 Nov 1994 08:49:37 GMT, minus 37 seconds. */
    private static final Instant NOW = Instant.parse("1994-11-06T08:49:00Z");

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "0|0",
            "1|1000",
            "120|120000",
            "  7  |7000",
            "007|7000",
            "86400|86400000",
            // huge values wait as long as can be said, never wrap to "retry now"
            "86401|86400000",
            "9223372036854775|86400000",
            "9223372036854775807|86400000",
            "99999999999999999999999999999999|86400000"})
    void delaySeconds(String field, long expectedMillis) {
        assertEquals(OptionalLong.of(expectedMillis), RetryAfter.millis(field, NOW));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            // the three forms RFC 9110 section 5.6.7 says recipients must accept, all the same instant
            "Sun, 06 Nov 1994 08:49:37 GMT|37000",
            "Sunday, 06-Nov-94 08:49:37 GMT|37000",
            "Sun Nov  6 08:49:37 1994|37000",
            // another IMF date (robustness, RFC 9110 section 5.6.7)
            "Sun, 6 Nov 1994 08:49:37 +0000|37000",
            "Sun, 06 Nov 1994 09:49:37 +0100|37000",
            // a date in the past: retry now
            "Sat, 05 Nov 1994 08:49:37 GMT|0",
            "Sun, 06 Nov 1994 08:49:00 GMT|0",
            // a date years ahead is capped like a huge delay
            "Fri, 31 Dec 9999 23:59:59 GMT|86400000"})
    void httpDates(String field, long expectedMillis) {
        assertEquals(OptionalLong.of(expectedMillis), RetryAfter.millis(field, NOW));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "   ", "-1", "-120", "+5", "1.5", "1e3", "0x10", "soon", "120 seconds", "5, 10",
            "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37", "06 Nov 1994", "Sun Nov 6 08:49:37 1994 GMT"})
    void negativeAndGarbageAreAbsent(String field) {
        assertEquals(OptionalLong.empty(), RetryAfter.millis(field, NOW));
    }

    @Test
    void absentIsAbsent() {
        assertEquals(OptionalLong.empty(), RetryAfter.millis(null, NOW));
    }

    @Test
    void rfc850TwoDigitYearsMoreThanFiftyYearsAheadAreInThePast() {
        Instant now = Instant.parse("2026-11-30T00:00:00Z");
        assertEquals(2076, RetryAfter.fullYear(76, now));
        assertEquals(1977, RetryAfter.fullYear(77, now));
        assertEquals(2030, RetryAfter.fullYear(30, now));
        assertEquals(1994, RetryAfter.fullYear(94, now));
        assertEquals(OptionalLong.of(30_000), RetryAfter.millis("Monday, 30-Nov-26 00:00:30 GMT", now));
    }
}
