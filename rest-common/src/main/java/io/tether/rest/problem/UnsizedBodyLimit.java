package io.tether.rest.problem;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Holds a request body without a {@code Content-Length} (chunked) to {@code quarkus.http.limits.max-body-size} while
 * the REST layer reads it: the first read beyond the limit fails with {@link TooLarge}, which
 * {@link ProblemExceptionMappers} answers 413. {@link BodyLimit} refuses a declared length before reading, and leaves
 * these to this.
 */
@Provider
public class UnsizedBodyLimit implements ReaderInterceptor {
    private final BodyLimit limit;

    public UnsizedBodyLimit(BodyLimit limit) {
        this.limit = limit;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH) == null) {
            context.setInputStream(new Limited(context.getInputStream(), limit.maxBytes(), limit.tooLarge()));
        }
        return context.proceed();
    }

    /**
     * The body went beyond the limit. An IOException, as a failed read is: Jackson passes those on as they are, and
     * wraps any other exception of a read into a mapping error (answered 400).
     */
    public static final class TooLarge extends IOException {
        TooLarge(String detail) {
            super(detail, null);
        }
    }

    /** Counts what is read through it, and fails the read that goes beyond {@code maxBytes}. */
    static final class Limited extends FilterInputStream {
        private final long maxBytes;
        private final String detail;
        private long read;
        private boolean exceeded;

        Limited(InputStream in, long maxBytes, String detail) {
            super(in);
            this.maxBytes = maxBytes;
            this.detail = detail;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        /**
         * Once beyond the limit, the body is not closed here: Quarkus REST's stream reads a body to its end when closed,
         * on this thread, before the answer can go out (for ever, for a body that does not end). BodyLimit reads and
         * drops the rest after the 413, up to its drain limit. (The stream holds heap buffers, which need no release.)
         */
        @Override
        public void close() throws IOException {
            if (!exceeded) {
                super.close();
            }
        }

        /** No rewinding: what was read once counts once. */
        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) throws TooLarge {
            read += n;
            if (read > maxBytes) {
                exceeded = true;
                throw new TooLarge(detail);
            }
        }
    }
}
