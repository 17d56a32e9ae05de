package io.tether.gateway.https;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What part of a body of {@code size} bytes a request asks for (RFC 9110 §14): one byte range, so an interrupted
 * download resumes where it stopped. Several ranges, or a header that is not a byte range, get the whole body (the
 * RFC allows ignoring Range); a range that starts past the end is unsatisfiable (416).
 *
 * @param first first byte, inclusive
 * @param last  last byte, inclusive
 */
record ByteRange(long first, long last, boolean partial, boolean satisfiable) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    static ByteRange whole(long size) {
        return new ByteRange(0, size - 1, false, true);
    }

    /** {@code header} may be null (no Range). */
    static ByteRange of(String header, long size) {
        if (header == null) {
            return whole(size);
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return whole(size);
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    return unsatisfiable(size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1, true, true);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || last < first) {
                return unsatisfiable(size);
            }
            return new ByteRange(first, last, true, true);
        } catch (NumberFormatException tooLong) {
            return whole(size);
        }
    }

    private static ByteRange unsatisfiable(long size) {
        return new ByteRange(0, size - 1, true, false);
    }

    long length() {
        return last - first + 1;
    }

    /** The Content-Range of a 206 ({@code bytes first-last/size}) or of a 416 ({@code bytes *}{@code /size}). */
    String contentRange(long size) {
        return satisfiable ? "bytes " + first + "-" + last + "/" + size : "bytes */" + size;
    }
}
