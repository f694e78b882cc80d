package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** An HTTP application that reads the whole body and answers 200 with it; counts the requests it saw. */
final class EchoApp {

  final AtomicInteger started = new AtomicInteger();
  final Application app = (scope, receive, send) -> {
    started.incrementAndGet();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    return Apps.loop((s, event, out) -> {
      if (event.type().equals("http.request")) {
        body.write(event.getBytes("body"));
        if (!event.getBoolean("more_body", false)) {
          out.send(HttpTest.response(200, ""));
          out.send(Message.of("http.response.body", "body", body.toByteArray(), "more_body", false));
          return false;
        }
      }
      return true;
    }).handle(scope, receive, send);
  };

  static String text(int n) {
    return "x".repeat(n);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
