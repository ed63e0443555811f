package dev.nexus.server.auth;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.WireJson;
import java.io.IOException;

/** Reads the JSON files an operator hands the server (tokens, ACLs) with errors that never quote the content. */
final class OperatorJson {
    private OperatorJson() {
    }

    /**
     * The JSON object in {@code content}.
     *
     * @param shape what the object should hold, for the message when it is not an object
     * @throws IllegalArgumentException a sentence fragment ("is not valid JSON", "must be …") to follow the file name
     */
    static ObjectNode object(byte[] content, String shape) {
        JsonNode root;
        try {
            root = WireJson.mapper().readTree(content);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("is not valid JSON");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("must be a JSON object" + shape);
        }
        return (ObjectNode) root;
    }
}
