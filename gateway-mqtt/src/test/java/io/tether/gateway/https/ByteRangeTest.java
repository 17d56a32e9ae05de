package io.tether.gateway.https;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void noRangeIsTheWholeBody() {
        ByteRange range = ByteRange.of(null, 100);
        assertFalse(range.partial());
        assertEquals(100, range.length());
    }

    @Test
    void anOpenRangeResumesToTheEnd() {
        ByteRange range = ByteRange.of("bytes=30-", 100);
        assertTrue(range.partial());
        assertEquals(30, range.first());
        assertEquals(99, range.last());
        assertEquals("bytes 30-99/100", range.contentRange(100));
    }

    @Test
    void aSuffixRangeIsTheLastBytes() {
        ByteRange range = ByteRange.of("bytes=-10", 100);
        assertEquals(90, range.first());
        assertEquals(99, range.last());
    }

    @Test
    void aRangeBeyondTheEndIsCutAtTheEnd() {
        assertEquals(99, ByteRange.of("bytes=10-1000", 100).last());
    }

    @Test
    void aRangeStartingPastTheEndIsUnsatisfiable() {
        ByteRange range = ByteRange.of("bytes=100-", 100);
        assertFalse(range.satisfiable());
        assertEquals("bytes */100", range.contentRange(100));
    }

    @Test
    void severalRangesOrOtherUnitsGetTheWholeBody() {
        assertFalse(ByteRange.of("bytes=0-1,5-6", 100).partial());
        assertFalse(ByteRange.of("items=0-1", 100).partial());
        assertFalse(ByteRange.of("bytes=-", 100).partial());
    }
}
