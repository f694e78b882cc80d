package io.channels4j.undertow;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
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
 * A tiny RFC 6455 client on a plain socket, for what java.net.http cannot do: read a refused
 * handshake's body, never answer pings, never read at all, send an empty close frame, vanish.
 */
final class RawWebSocket implements AutoCloseable {

  record Frame(int opcode, byte[] payload, boolean compressed) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length < 2 ? 1005 : (payload[0] & 0xff) << 8 | (payload[1] & 0xff);
    }
  }

  final Socket socket;
  final DataInputStream in;
  final OutputStream out;
  int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  String body = "";

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects and sends the handshake; {@code receiveBuffer} > 0 shrinks the socket's receive buffer. */
  static RawWebSocket connect(int port, String path, int receiveBuffer, String... extraHeaders) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.setSoTimeout(10_000);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    RawWebSocket ws = new RawWebSocket(s);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    StringBuilder req = new StringBuilder()
        .append("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
        .append("Sec-WebSocket-Version: 13\r\n");
    for (String h : extraHeaders) {
      req.append(h).append("\r\n");
    }
    req.append("\r\n");
    ws.out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
    ws.out.flush();
    ws.readResponseHead();
    return ws;
  }

  /** Sends {@code request} as it is (a hand-made handshake) and reads the response head and body. */
  static RawWebSocket request(int port, byte[] request, int timeoutMillis) throws IOException {
    Socket s = new Socket();
    s.setSoTimeout(timeoutMillis);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    RawWebSocket ws = new RawWebSocket(s);
    ws.out.write(request);
    ws.out.flush();
    ws.readResponseHead();
    return ws;
  }

  /**
   * A frame as a client writes it, with every field chosen by the caller: {@code b0} is FIN, RSV
   * and opcode; {@code declared} the length put in the header (it may differ from the payload's).
   */
  static byte[] frame(int b0, boolean masked, long declared, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(b0);
    int mask = masked ? 0x80 : 0;
    if (declared < 126) {
      f.write(mask | (int) declared);
    } else if (declared < 65536) {
      f.write(mask | 126);
      f.write((int) (declared >> 8));
      f.write((int) declared);
    } else {
      f.write(mask | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) (declared >> (8 * i)));
      }
    }
    byte[] key = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(key);
      f.writeBytes(key);
    }
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ key[i & 3]);
    }
    return f.toByteArray();
  }

  /** Writes raw bytes (hand-made frames). */
  void write(byte[]... parts) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      all.writeBytes(p);
    }
    out.write(all.toByteArray());
    out.flush();
  }

  private void readResponseHead() throws IOException {
    String statusLine = line();
    status = Integer.parseInt(statusLine.split(" ")[1]);
    String l;
    while (!(l = line()).isEmpty()) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    if (status != 101) {
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] b = new byte[length];
      in.readFully(b);
      body = new String(b, StandardCharsets.UTF_8);
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed while reading the handshake response");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  void sendText(String text) throws IOException {
    send(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  void sendClose() throws IOException {
    send(0x8, new byte[0]);
  }

  void sendClose(int code) throws IOException {
    send(0x8, new byte[] {(byte) (code >> 8), (byte) code});
  }

  void send(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x80 | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >> 8);
      f.write(payload.length);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) payload.length >> (8 * i)));
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /** Reads one (unfragmented, unmasked) frame from the server. */
  Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload, (b0 & 0x40) != 0);
  }

  /** Reads frames until a non-control frame or a close arrives, ignoring pings. */
  Frame readDataOrClose() throws IOException {
    while (true) {
      Frame f = readFrame();
      if (f.opcode() != 0x9 && f.opcode() != 0xA) {
        return f;
      }
    }
  }

  /** True once the server has closed the TCP connection (reads until EOF, skipping frames). */
  boolean awaitEof() throws IOException {
    InputStream i = socket.getInputStream();
    byte[] buf = new byte[8192];
    while (i.read(buf) >= 0) {
      // drain
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
