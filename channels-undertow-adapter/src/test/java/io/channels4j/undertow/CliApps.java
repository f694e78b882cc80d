package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.Message;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Applications for {@link Main} and {@link ApplicationLoader} tests, in every shape the loader takes. */
public final class CliApps {

  private CliApps() {}

  /** HTTP: 200 with "scheme client root_path"; WebSocket: accepts and echoes text. */
  public static final Application ECHO = Apps.loop((scope, event, send) -> {
    switch (event.type()) {
      case "http.request" -> {
        if (!event.getBoolean("more_body", false)) {
          String body = scope.scheme() + " " + scope.client().map(c -> c.getHostString() + ":" + c.getPort()).orElse("-")
              + " " + scope.rootPath();
          send.send(Message.of("http.response.start", "status", 200));
          send.send(Message.of("http.response.body", "body", body.getBytes(StandardCharsets.UTF_8)));
          return false;
        }
      }
      case "websocket.connect" -> send.send(Message.of("websocket.accept"));
      case "websocket.receive" -> send.send(Message.of("websocket.send", "text", event.getString("text")));
      default -> { }
    }
    return true;
  });

  public static final Application NULL_FIELD = null;
  public static final String NOT_AN_APP = "text";
  public final Application instanceField = ECHO;

  public static Application echo() {
    return ECHO;
  }

  public static Supplier<Application> supplier() {
    return () -> ECHO;
  }

  public static Application nothing() {
    return null;
  }

  public static Application broken() {
    throw new IllegalStateException("no layer configured");
  }

  public static Application withArgument(String name) {
    return ECHO;
  }

  /** A class that is an application. */
  public static final class AsClass implements Application {
    @Override
    public java.util.concurrent.CompletionStage<Void> handle(io.channels4j.Scope scope, io.channels4j.Receive receive,
        io.channels4j.Send send) {
      return ECHO.handle(scope, receive, send);
    }
  }

  /** A class that supplies one. */
  public static final class AsSupplier implements Supplier<Application> {
    @Override
    public Application get() {
      return ECHO;
    }
  }

  /** Neither. */
  public static final class Neither {}

  /** No public no-arg constructor. */
  public static final class NeedsArgument implements Application {
    public NeedsArgument(String name) {}

    @Override
    public java.util.concurrent.CompletionStage<Void> handle(io.channels4j.Scope scope, io.channels4j.Receive receive,
        io.channels4j.Send send) {
      return ECHO.handle(scope, receive, send);
    }
  }
}
