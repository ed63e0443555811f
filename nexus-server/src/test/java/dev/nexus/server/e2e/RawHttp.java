package dev.nexus.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.protocol.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP/1.1 by hand over a plain socket, for what the JDK clients will not send: WebSocket upgrade requests with
 * chosen headers (the JDK's HttpClient refuses {@code Connection} and {@code Upgrade}), and a WebSocket peer that
 * completes the handshake and then goes silent.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 10_000;

    private RawHttp() {
    }

    /** A response: status, headers (lower-case names) and body. */
    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return WireJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON: " + body, e);
            }
        }
    }

    /**
     * Sends a WebSocket upgrade request for {@code path} and reads the response; the socket is closed afterwards.
     *
     * @param origin the Origin header, or null for none
     */
    static Reply upgrade(int port, String path, String origin) {
        try (Socket socket = handshake(port, path, origin)) {
            return readReply(socket.getInputStream(), true);
        } catch (IOException e) {
            throw new AssertionError("upgrade request failed: " + e, e);
        }
    }

    /**
     * Opens a WebSocket by hand and returns the socket right after the {@code 101} response; the caller decides
     * whether to read or answer anything afterwards.
     */
    static Socket openWebSocket(int port, String path) {
        try {
            Socket socket = handshake(port, path, null);
            Reply reply = readReply(socket.getInputStream(), false);
            if (reply.status() != 101) {
                socket.close();
                throw new AssertionError("expected 101 Switching Protocols, got " + reply);
            }
            return socket;
        } catch (IOException e) {
            throw new AssertionError("websocket handshake failed: " + e, e);
        }
    }

    /**
     * Opens a WebSocket by hand with a small receive buffer, for a client that will stop reading: the server's
     * writes back up quickly.
     */
    static Socket openWebSocketWithSmallReceiveBuffer(int port, String path) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            Socket opened = handshake(socket, port, path, null);
            Reply reply = readReply(opened.getInputStream(), false);
            if (reply.status() != 101) {
                socket.close();
                throw new AssertionError("expected 101 Switching Protocols, got " + reply);
            }
            return opened;
        } catch (IOException e) {
            throw new AssertionError("websocket handshake failed: " + e, e);
        }
    }

    /** Sends one masked text frame (clients must mask, RFC 6455 §5.3). */
    static void sendText(Socket socket, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            throw new IllegalArgumentException("frame too long for this helper");
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame.toByteArray());
        socket.getOutputStream().flush();
    }

    /**
     * Starts a masked text frame that announces {@code length} payload bytes and sends the first {@code sent} of
     * them ({@code x}s): enough for a server to judge the frame by its header.
     */
    static void startLongText(Socket socket, long length, int sent) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame.write((int) (length >>> shift) & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < sent; i++) {
            frame.write('x' ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame.toByteArray());
        socket.getOutputStream().flush();
    }

    /** What a hand-read WebSocket stream ended with: the last text message and the close code. */
    record Ending(String lastText, int closeCode, long textMessages) {
    }

    /** Reads server frames (unmasked) until a close frame, or the connection ends or is reset (code 1006 then). */
    static Ending readUntilClose(Socket socket) throws IOException {
        Ending[] progress = {new Ending(null, 1006, 0)};
        try {
            return readFrames(socket, progress);
        } catch (java.net.SocketException | java.io.EOFException e) {
            return new Ending(progress[0].lastText(), 1006, progress[0].textMessages());
        }
    }

    private static Ending readFrames(Socket socket, Ending[] progress) throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        String lastText = null;
        long texts = 0;
        while (true) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (java.io.EOFException e) {
                return new Ending(lastText, 1006, texts);
            }
            int opcode = first & 0x0f;
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            if (opcode == 0x1) {
                lastText = new String(payload, StandardCharsets.UTF_8);
                texts++;
                progress[0] = new Ending(lastText, 1006, texts);
            } else if (opcode == 0x8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                return new Ending(lastText, code, texts);
            }
        }
    }

    /** Opens a plain TCP connection to the server, nothing sent yet; reads time out after 10 s. */
    static Socket connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            throw new AssertionError("cannot connect: " + e, e);
        }
    }

    /** Sends raw bytes (ISO-8859-1) as they are. */
    static void sendRaw(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Sends a complete keep-alive {@code GET path} on an open connection and reads the reply, body included. */
    static Reply get(Socket socket, String path) throws IOException {
        sendRaw(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return readReply(socket.getInputStream(), true);
    }

    /** Reads the reply to a request sent on {@code socket}, body included. */
    static Reply reply(Socket socket) throws IOException {
        return readReply(socket.getInputStream(), true);
    }

    /**
     * Reads until the server ends the connection; true when it did (end of stream or reset), false when it sent
     * bytes instead or stayed silent for the read timeout.
     */
    static boolean closedByServer(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static Socket handshake(int port, String path, String origin) throws IOException {
        return handshake(new Socket(), port, path, origin);
    }

    private static Socket handshake(Socket socket, int port, String path, String origin) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (origin != null) {
            request.append("Origin: ").append(origin).append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Reads a status line and headers, then the body when {@code withBody} (by Content-Length). */
    private static Reply readReply(InputStream in, boolean withBody) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String body = "";
        if (withBody && headers.containsKey("content-length")) {
            byte[] bytes = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        return new Reply(status, headers, body);
    }
}
