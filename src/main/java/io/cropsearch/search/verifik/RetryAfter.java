package io.cropsearch.search.verifik;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an upstream {@code Retry-After} field as RFC 9110 (section 10.2.3) defines it: either delay-seconds (a
 * non-negative decimal integer) or an HTTP-date (section 5.6.7), which recipients must accept in all three of its
 * forms: IMF-fixdate, and the obsolete RFC 850 and asctime forms. Anything else, a negative number among it, is
 * treated as if the field were absent: a garbled field must not turn into "retry now" nor into "never".
 */
final class RetryAfter {
    /**
     * Longest wait a field is read as. Far above any search budget, so a larger value still means "later than this
     * search can wait"; the cap keeps an enormous value from overflowing into a negative, that is immediate, retry.
     */
    static final Duration MAX = Duration.ofDays(1);

    private static final String DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
    private static final String LONG_DAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
    private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} */
    private static final Pattern IMF_FIXDATE = Pattern.compile(DAY + ", (\\d{2}) " + MONTH + " (\\d{4}) " + TIME + " GMT");
    /** {@code Sunday, 06-Nov-94 08:49:37 GMT} */
    private static final Pattern RFC_850 = Pattern.compile(LONG_DAY + ", (\\d{2})-" + MONTH + "-(\\d{2}) " + TIME + " GMT");
    /** {@code Sun Nov  6 08:49:37 1994} (the day of month is padded with a space) */
    private static final Pattern ASCTIME = Pattern.compile(DAY + " " + MONTH + " ([ \\d]\\d) " + TIME + " (\\d{4})");
    private static final Pattern DELAY_SECONDS = Pattern.compile("\\d+");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private RetryAfter() {
    }

    /** The wait the field asks for, at most {@link #MAX} (zero for a date already past), or empty when unusable. */
    static OptionalLong millis(String field, Instant now) {
        if (field == null) {
            return OptionalLong.empty();
        }
        String value = field.strip();
        if (DELAY_SECONDS.matcher(value).matches()) {
            String digits = value.replaceFirst("^0+(?=\\d)", "");
            // Compared as text first: "99999999999999999999" must not overflow a long on the way to a duration.
            if (digits.length() > 12 || Long.parseLong(digits) > MAX.toSeconds()) {
                return OptionalLong.of(MAX.toMillis());
            }
            return OptionalLong.of(Long.parseLong(digits) * 1000);
        }
        Instant at = httpDate(value, now);
        if (at == null) {
            return OptionalLong.empty();
        }
        long wait = Duration.between(now, at).toMillis();
        return OptionalLong.of(Math.max(0, Math.min(wait, MAX.toMillis())));
    }

    /** The instant of an HTTP-date in any of its three forms, or null. */
    static Instant httpDate(String value, Instant now) {
        try {
            Matcher m = IMF_FIXDATE.matcher(value);
            if (m.matches()) {
                return utc(Integer.parseInt(m.group(3)), m.group(2), Integer.parseInt(m.group(1)), m, 4);
            }
            m = RFC_850.matcher(value);
            if (m.matches()) {
                return utc(fullYear(Integer.parseInt(m.group(3)), now), m.group(2), Integer.parseInt(m.group(1)), m, 4);
            }
            m = ASCTIME.matcher(value);
            if (m.matches()) {
                return utc(Integer.parseInt(m.group(6)), m.group(1), Integer.parseInt(m.group(2).strip()), m, 3);
            }
            // RFC 9110 asks recipients to be robust with other Internet Message Format dates ("Sun, 6 Nov 1994
            // 08:49:37 +0000"); the JDK's RFC 1123 parser reads those.
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeException | NumberFormatException e) {
            return null; // Feb 30, hour 25, a weekday that contradicts the date: not a date
        }
    }

    /**
     * RFC 9110: a two-digit year that would be more than 50 years in the future is the most recent past year with
     * the same last two digits.
     */
    static int fullYear(int twoDigits, Instant now) {
        int thisYear = now.atZone(ZoneOffset.UTC).getYear();
        int year = thisYear - Math.floorMod(thisYear, 100) + twoDigits;
        return year > thisYear + 50 ? year - 100 : year;
    }

    private static Instant utc(int year, String month, int day, Matcher m, int timeGroup) {
        int monthNumber = MONTHS.indexOf(month) / 3 + 1;
        return LocalDateTime.of(year, monthNumber, day, Integer.parseInt(m.group(timeGroup)),
                Integer.parseInt(m.group(timeGroup + 1)), Integer.parseInt(m.group(timeGroup + 2)))
                .toInstant(ZoneOffset.UTC);
    }
}
