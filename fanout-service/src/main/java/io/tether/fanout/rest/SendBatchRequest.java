package io.tether.fanout.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/messages/batch}. */
@Schema(description = "Distinct messages, each as the body of POST /v1/messages")
public record SendBatchRequest(@Schema(description = "1 to 100 messages") List<SendMessageRequest> messages) {
}
