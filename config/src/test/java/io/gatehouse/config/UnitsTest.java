package io.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "2m, 120000", "1h, 3600000", "1d, 86400000", "45, 45000", "0, 0",
        "0ms, 0"})
    void parsesDurations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), DurationFormat.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "30 s", "1.5s", "30S", "1w", "1h30m", "", "s"})
    void rejectsDurationsOutsideTheGrammar(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationFormat.parse(text));
        assertEquals("expected a duration such as 30s, 500ms, 2m, 1h, got '" + text + "'", e.getMessage());
    }

    @Test
    void rejectsNegativeDurations() {
        assertEquals("must not be negative, got '-5s'",
                assertThrows(IllegalArgumentException.class, () -> DurationFormat.parse("-5s")).getMessage());
    }

    @Test
    void rejectsDurationsThatOverflow() {
        assertEquals("duration too large, got '99999999999999999999d'", assertThrows(IllegalArgumentException.class,
                () -> DurationFormat.parse("99999999999999999999d")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DurationFormat.parse("9223372036854775807d"));
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "500, 500ms", "30000, 30s", "90000, 90s", "120000, 2m", "3600000, 1h", "86400000, 1d"})
    void formatsDurationsInTheirLargestExactUnit(long millis, String text) {
        assertEquals(text, DurationFormat.format(Duration.ofMillis(millis)));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0", "512, 512", "512B, 512", "1b, 1",
        "1KB, 1000", "1MB, 1000000", "1GB, 1000000000", "1kb, 1000",
        "1KiB, 1024", "1MiB, 1048576", "1GiB, 1073741824", "2kib, 2048",
        "1k, 1024", "1K, 1024", "256M, 268435456", "256m, 268435456", "1G, 1073741824",
        "64 KiB, 65536"})
    void parsesDataSizesWithDecimalAndBinaryUnits(String text, long bytes) {
        assertEquals(new DataSize(bytes), DataSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "12XB", "1.5G", "K", "", "1 2"})
    void rejectsDataSizesOutsideTheGrammar(String text) {
        assertEquals("expected a size such as 512, 64KiB, 256MiB or 1GB, got '" + text + "'",
                assertThrows(IllegalArgumentException.class, () -> DataSize.parse(text)).getMessage());
    }

    @Test
    void rejectsNegativeDataSizes() {
        assertEquals("must not be negative, got '-1M'",
                assertThrows(IllegalArgumentException.class, () -> DataSize.parse("-1M")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DataSize(-1));
    }

    @Test
    void rejectsDataSizesThatOverflow() {
        assertEquals("size too large, got '9000000000G'",
                assertThrows(IllegalArgumentException.class, () -> DataSize.parse("9000000000G")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSize.parse("99999999999999999999"));
        assertEquals(new DataSize(Long.MAX_VALUE), DataSize.parse(Long.toString(Long.MAX_VALUE)));
    }

    @ParameterizedTest
    @CsvSource({"0, 0B", "1, 1B", "1500, 1500B", "65536, 64KiB", "1048576, 1MiB", "1073741824, 1GiB",
        "1000, 1KB", "3000000, 3MB", "1536, 1536B"})
    void printsDataSizesReadably(long bytes, String text) {
        assertEquals(text, new DataSize(bytes).toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 1000, 1024, 1536, 65536, 123456789, 1L << 40, 5_000_000_000_000L})
    void printsDataSizesThatParseBack(long bytes) {
        assertEquals(new DataSize(bytes), DataSize.parse(new DataSize(bytes).toString()));
    }

    @Test
    void buildsDataSizesFromBinaryUnits() {
        assertEquals(65536, DataSize.ofKibibytes(64).bytes());
        assertEquals(256L << 20, DataSize.ofMebibytes(256).bytes());
        assertEquals(2L << 30, DataSize.ofGibibytes(2).bytes());
        assertThrows(ArithmeticException.class, () -> DataSize.ofGibibytes(Long.MAX_VALUE));
    }
}
