package io.channels4j.undertow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A raw HTTP/1.1 client over a plain socket, for requests no well-behaved client would send. */
final class RawHttp implements AutoCloseable {

  /** A response: status, lower-cased headers, body (by Content-Length; empty without one). */
  record Response(int status, Map<String, String> headers, String body) {}

  final Socket socket;
  final InputStream in;
  final OutputStream out;

  RawHttp(int port) throws IOException {
    socket = new Socket();
    socket.setSoTimeout(15_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /**
   * Sends {@code text} one byte per 100 ms in the background (a slow client's pace) until it is all sent
   * or the server closes the connection.
   */
  CompletableFuture<Void> trickle(String text) {
    return CompletableFuture.runAsync(() -> {
      try {
        for (char ch : text.toCharArray()) {
          send(String.valueOf(ch));
          TimeUnit.MILLISECONDS.sleep(100);
        }
      } catch (IOException | InterruptedException e) {
        // closed by the server: expected
      }
    });
  }

  /** Reads one response head and its Content-Length body. */
  Response read() throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String l;
    while ((l = line()) != null && !l.isEmpty()) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** True if the server closed the connection (EOF or reset) before the socket timeout. */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketException e) {
      return true; // reset
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
