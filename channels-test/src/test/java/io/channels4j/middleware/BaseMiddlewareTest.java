package io.channels4j.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.consumer.AsyncHttpConsumer;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.testing.ApplicationCommunicator;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** BaseMiddleware as users extend it. */
class BaseMiddlewareTest {

  /** Puts a tenant, read from a header, into the scope. */
  static final class TenantMiddleware extends BaseMiddleware {
    TenantMiddleware(Application inner) {
      super(inner);
    }

    @Override
    protected Scope enrichScope(Scope scope) {
      return scope.with("tenant", scope.header("x-tenant").orElse("public"));
    }
  }

  /** Resolves a "user" asynchronously, as a session or auth middleware would. */
  static final class AsyncUserMiddleware extends BaseMiddleware {
    AsyncUserMiddleware(Application inner) {
      super(inner);
    }

    @Override
    protected CompletionStage<Scope> resolveScope(Scope scope) {
      return CompletableFuture.supplyAsync(() -> scope.with("user", "user-for-" + scope.get("tenant").orElse("?")));
    }
  }

  /** Adds a response header to every {@code http.response.start}. */
  static final class ServerHeaderMiddleware extends BaseMiddleware {
    ServerHeaderMiddleware(Application inner) {
      super(inner);
    }

    @Override
    protected Send wrapSend(Scope scope, Send send) {
      return message -> {
        if (!message.type().equals("http.response.start")) {
          return send.send(message);
        }
        List<Header> headers = new ArrayList<>(Header.fromMessageValue(message.get("headers")));
        headers.add(Header.of("x-tenant", (String) scope.get("tenant").orElse("?")));
        return send.send(message.with("headers", Header.toMessageValue(headers)));
      };
    }
  }

  public static class WhoAmI extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      return accept()
          .thenCompose(v -> send(scope().get("tenant").orElse("-") + "/" + scope().get("user").orElse("-")));
    }
  }

  public static class Ok extends AsyncHttpConsumer {
    @Override
    public CompletionStage<Void> handle(byte[] body) {
      return sendResponse(200, "ok".getBytes(StandardCharsets.UTF_8), List.of());
    }
  }

  @Test
  void middlewareStacksDeriveScopesForTheInnerApplication() {
    Application app = new TenantMiddleware(new AsyncUserMiddleware(AsyncConsumer.asApplication(WhoAmI::new)));

    WebsocketCommunicator acme =
        new WebsocketCommunicator(app, "/ws/", List.of(Header.of("X-Tenant", "acme")), List.of());
    assertThat(acme.connect().accepted()).isTrue();
    assertThat(acme.receiveFrom()).isEqualTo("acme/user-for-acme");
    acme.disconnect();

    // The same middleware instances serve the next connection with no leftover state.
    WebsocketCommunicator anon = new WebsocketCommunicator(app, "/ws/");
    assertThat(anon.connect().accepted()).isTrue();
    assertThat(anon.receiveFrom()).isEqualTo("public/user-for-public");
    anon.disconnect();
  }

  @Test
  void theCallersScopeIsNeverChanged() {
    Scope original = Scope.builder(Scope.HTTP).path("/").header("x-tenant", "acme").build();
    List<Scope> seen = new ArrayList<>();
    Application app = new TenantMiddleware((scope, receive, send) -> {
      seen.add(scope);
      return Application.done();
    });
    new ApplicationCommunicator(app, original).await();
    assertThat(seen.get(0).get("tenant")).contains("acme");
    assertThat(original.has("tenant")).isFalse();
  }

  @Test
  void wrapSendSeesTheDerivedScope() {
    Application app = new TenantMiddleware(new ServerHeaderMiddleware(AsyncConsumer.asApplication(Ok::new)));
    HttpCommunicator.Response r =
        new HttpCommunicator(app, "GET", "/", new byte[0], List.of(Header.of("x-tenant", "acme"))).getResponse();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("x-tenant")).contains("acme");
  }

  @Test
  void aFailingHookFailsTheConnectionWithoutThrowing() {
    Application app =
        new BaseMiddleware(AsyncConsumer.asApplication(Ok::new)) {
          @Override
          protected Scope enrichScope(Scope scope) {
            throw new IllegalStateException("no tenant");
          }
        };
    ApplicationCommunicator c = new ApplicationCommunicator(app, Scope.builder(Scope.HTTP).path("/").build());
    assertThatThrownBy(c::await).cause().isInstanceOf(IllegalStateException.class).hasMessage("no tenant");
    assertThat(c.receiveNothing()).isTrue();
  }

  @Test
  void innerIsExposed() {
    Application inner = (scope, receive, send) -> send.send(Message.of("x"));
    assertThat(new TenantMiddleware(inner).inner()).isSameAs(inner);
  }
}
