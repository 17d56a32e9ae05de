package io.tether.push.pipeline;

import io.tether.contract.Topics;

/** The topics push-service reads and writes; other names only to keep tests that share a broker apart. */
public record PushTopics(String push, String receipts, String deadLetters) {
    public static final PushTopics DEFAULT = new PushTopics(Topics.PUSH, Topics.RECEIPTS, Topics.DLQ);
}
