package io.tether.fanout.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttachmentRequestsTest {
    private static final String SHA = "a".repeat(64);

    private static List<Problem.FieldError> check(SendMessageRequest.Attachment attachment) {
        List<Problem.FieldError> errors = new ArrayList<>();
        AttachmentRequests.validate(attachment, errors);
        return errors;
    }

    @Test
    void aHostedBodyByDnsNameWithSizeAndDigestIsFine() {
        assertTrue(check(new SendMessageRequest.Attachment(null, "https://cdn.example.com/v.mp4", 10L, SHA, "video/mp4", "v.mp4")).isEmpty());
    }

    @Test
    void anUploadedBodyIsNamedByItsId() {
        assertTrue(check(new SendMessageRequest.Attachment("att_abcdefghijklmnopqrstuvwxyz", null, null, null, null, null)).isEmpty());
        assertEquals("attachment.id", check(new SendMessageRequest.Attachment("nope", null, null, null, null, null)).get(0).field());
    }

    @Test
    void hostsMustBeDnsNamesOverHttps() {
        assertNull(AttachmentRequests.hostedUrlProblem("https://cdn.example.com/a"));
        assertTrue(AttachmentRequests.hostedUrlProblem("http://cdn.example.com/a").contains("https"));
        assertTrue(AttachmentRequests.hostedUrlProblem("https://203.0.113.7/a").contains("DNS name"));
        assertTrue(AttachmentRequests.hostedUrlProblem("https://[2001:db8::1]/a").contains("DNS name"));
        assertTrue(AttachmentRequests.hostedUrlProblem("https://user:pw@cdn.example.com/a").contains("user info"));
    }

    @Test
    void aHostedBodyNeedsItsSizeAndDigest() {
        List<Problem.FieldError> errors = check(new SendMessageRequest.Attachment(null, "https://cdn.example.com/a", null, "xyz", null, null));
        assertEquals(List.of("attachment.size", "attachment.sha256"), errors.stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void exactlyOneOfIdAndUrl() {
        assertEquals("attachment", check(new SendMessageRequest.Attachment(null, null, null, null, null, null)).get(0).field());
        assertEquals("attachment", check(new SendMessageRequest.Attachment("att_abcdefghijklmnopqrstuvwxyz", "https://a.example/b", 1L, SHA,
                null, null)).get(0).field());
    }
}
