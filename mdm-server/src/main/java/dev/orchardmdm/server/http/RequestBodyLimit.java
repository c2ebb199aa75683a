package dev.orchardmdm.server.http;

import io.javalin.http.ContentTooLargeResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds every request body to {@code server.max_body_bytes} while it is read, before any route
 * (and so before any authentication or parsing) runs:
 * <ul>
 *   <li>a {@code Content-Length} above the limit is answered 413 without reading the body;</li>
 *   <li>a body without a length (chunked) is counted as it is read: the read that passes the limit
 *       fails with a 413 (Javalin's {@link ContentTooLargeResponse}, mapped by {@link HttpErrors}),
 *       so at most the limit is ever buffered;</li>
 *   <li>a {@code Content-Encoding} other than {@code identity} is answered 415: devices never
 *       compress their requests, and a body inflated on the server (a gzip bomb) is never made.</li>
 * </ul>
 */
public final class RequestBodyLimit implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestBodyLimit.class);
    private final long maxBytes;

    public RequestBodyLimit(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String encoding = http.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
            refuse(http, (HttpServletResponse) response, 415, "Content-Encoding " + printable(encoding)
                    + " is not accepted: send the body uncompressed");
            return;
        }
        if (http.getContentLengthLong() > maxBytes) {
            refuse(http, (HttpServletResponse) response, 413, "request body larger than " + maxBytes + " bytes");
            return;
        }
        chain.doFilter(new Bounded(http, (HttpServletResponse) response, maxBytes), response);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String reason)
            throws IOException {
        LOG.info("{} {} -> {} {}", request.getMethod(), Redaction.text(request.getRequestURI()), status, reason);
        response.setStatus(status);
        response.setContentType("text/plain");
        // the unread body is not drained: the connection is closed after the answer
        response.setHeader("Connection", "close");
        response.getOutputStream().write(reason.getBytes(StandardCharsets.UTF_8));
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The request with its body stream counted. */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final HttpServletResponse response;
        private final long maxBytes;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, HttpServletResponse response, long maxBytes) {
            super(request);
            this.response = response;
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingInputStream(super.getInputStream(), response, maxBytes);
            }
            return stream;
        }
    }

    /** Fails the read that passes the limit. */
    private static final class CountingInputStream extends ServletInputStream {
        private final ServletInputStream in;
        private final HttpServletResponse response;
        private final long maxBytes;
        private long count;

        CountingInputStream(ServletInputStream in, HttpServletResponse response, long maxBytes) {
            this.in = in;
            this.response = response;
            this.maxBytes = maxBytes;
        }

        private int counted(int n) {
            if (n > 0) {
                count += n;
                if (count > maxBytes) {
                    // the rest of the body is not read: close the connection rather than drain it
                    response.setHeader("Connection", "close");
                    throw new ContentTooLargeResponse("request body larger than " + maxBytes + " bytes");
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            // never ask for more than one byte past the limit
            long room = maxBytes - count + 1;
            return counted(in.read(buf, off, (int) Math.min(len, Math.max(1, room))));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
