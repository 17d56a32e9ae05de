package io.tether.fanout.rest;

import io.tether.contract.attachment.AttachmentWire;
import io.tether.contract.problem.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks the {@code attachment} of a message. A hosted body must be reachable by HTTPS at a DNS name: a background
 * {@code URLSession} cannot force an SNI name for an IP address, and it trusts the download only through the
 * descriptor's signature and digest, never through tricks with the connection.
 */
final class AttachmentRequests {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern IPV4 = Pattern.compile("[0-9.]+");
    private static final Pattern CONTENT_TYPE = Pattern.compile("[\\w.+-]+/[\\w.+-]+(\\s*;.*)?");
    private static final int MAX_URL = 2048;
    private static final int MAX_NAME = 255;

    private AttachmentRequests() {
    }

    static void validate(SendMessageRequest.Attachment attachment, List<Problem.FieldError> errors) {
        if (attachment == null) {
            return;
        }
        if ((attachment.id() == null) == (attachment.url() == null)) {
            errors.add(new Problem.FieldError("attachment", "give exactly one of id (an uploaded body) and url (a hosted one)"));
            return;
        }
        if (attachment.id() != null) {
            if (!AttachmentWire.isValidId(attachment.id())) {
                errors.add(new Problem.FieldError("attachment.id", "is not an attachment id (att_...)"));
            }
            if (attachment.url() != null || attachment.size() != null || attachment.sha256() != null || attachment.contentType() != null) {
                errors.add(new Problem.FieldError("attachment", "an uploaded body takes its size, sha256 and contentType from the upload"));
            }
        } else {
            String problem = hostedUrlProblem(attachment.url());
            if (problem != null) {
                errors.add(new Problem.FieldError("attachment.url", problem));
            }
            if (attachment.size() == null || attachment.size() < 0) {
                errors.add(new Problem.FieldError("attachment.size", "is required for a hosted body: its bytes"));
            }
            if (attachment.sha256() == null || !SHA256_HEX.matcher(attachment.sha256()).matches()) {
                errors.add(new Problem.FieldError("attachment.sha256", "is required for a hosted body: its SHA-256 as 64 hex digits"));
            }
            if (attachment.contentType() != null && !CONTENT_TYPE.matcher(attachment.contentType()).matches()) {
                errors.add(new Problem.FieldError("attachment.contentType", "is not a MIME type"));
            }
        }
        if (attachment.name() != null && (attachment.name().isEmpty() || attachment.name().length() > MAX_NAME
                || attachment.name().contains("/") || attachment.name().contains("\\"))) {
            errors.add(new Problem.FieldError("attachment.name", "must be a file name of 1 to 255 characters, without '/' or '\\'"));
        }
    }

    /** Why {@code url} is no URL a device may be sent to download from, or null when it is fine. */
    static String hostedUrlProblem(String url) {
        if (url.length() > MAX_URL) {
            return "must be at most " + MAX_URL + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a URL";
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return "must be an https URL";
        }
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null) {
            return "must name a host, without user info";
        }
        if (host.startsWith("[") || IPV4.matcher(host).matches() || !host.toLowerCase(Locale.ROOT).matches("[a-z0-9.-]+")) {
            return "must name its host by DNS name, not by IP address";
        }
        return null;
    }
}
