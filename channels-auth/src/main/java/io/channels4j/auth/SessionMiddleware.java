package io.channels4j.auth;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.Denials;
import io.channels4j.middleware.BaseMiddleware;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each HTTP request and WebSocket connection a {@link Session} under the scope key {@code "session"}:
 * the Java form of Channels' {@code SessionMiddleware}. Read it with {@link #session(Scope)}.
 *
 * <pre>{@code
 * Application app = SessionMiddleware.builder(new InMemorySessionStore(), List.of(secretKey)).build(router);
 * }</pre>
 *
 * <p><b>The cookie</b> is {@code sessionid} by default, {@code HttpOnly}, {@code SameSite=Lax}, {@code
 * Path=/}, {@code Max-Age} two weeks (Django's {@code SESSION_COOKIE_AGE}), and {@code Secure} when the
 * connection is TLS ({@code https}/{@code wss}). For server-side stores its value is the random session key
 * signed as Django's {@code TimestampSigner} signs (HMAC-SHA256, first secret signs, every secret
 * verifies); a cookie store signs its own value ({@link SessionStore#keysAreSigned()}).
 *
 * <p><b>Loading and saving.</b> A request without the cookie costs no store round trip. A forged, tampered,
 * expired or unknown cookie gives an empty session (one log line without the cookie's value; never an
 * error). Over HTTP the session is saved just before {@code http.response.start}, only if it changed (or
 * on every request with {@link Builder#saveEveryRequest}), and the cookie is set; a session emptied by
 * {@link Session#flush()} is deleted with its cookie. An empty session is never written to a server-side
 * store, so clients that store nothing cannot fill it. On a WebSocket the session is saved at {@code
 * websocket.accept} if it changed (the cookie rides on the handshake response) and when the application
 * ends if it changed after that; {@link Session#save()} saves at any other moment.
 *
 * <p>A store failure (Redis down) while loading fails the connection (HTTP 500, WebSocket 1011), as a
 * database error does in Django.
 */
public final class SessionMiddleware extends BaseMiddleware {

  private static final Logger LOG = LoggerFactory.getLogger(SessionMiddleware.class);

  /** The scope key the session is stored under, as in Channels. */
  public static final String SCOPE_KEY = "session";
  /** Django's default {@code SESSION_COOKIE_NAME}. */
  public static final String DEFAULT_COOKIE_NAME = "sessionid";
  /** Django's default {@code SESSION_COOKIE_AGE}: two weeks. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(14);
  /** The salt session keys are signed with (cookie stores use their own). */
  static final String KEY_SALT = "io.channels4j.auth.SessionMiddleware";

  private final SessionStore store;
  private final Signing signing;
  private final String cookieName;
  private final Duration maxAge;
  private final Boolean secure;
  private final String sameSite;
  private final boolean saveEveryRequest;

  private SessionMiddleware(Application inner, Builder b) {
    super(inner);
    this.store = b.store;
    this.signing = new Signing(b.secretKeys, KEY_SALT, b.clock);
    this.cookieName = b.cookieName;
    this.maxAge = b.maxAge;
    this.secure = b.secure;
    this.sameSite = b.sameSite;
    this.saveEveryRequest = b.saveEveryRequest;
  }

  /**
   * Starts a builder for sessions kept in {@code store}, their cookies signed with the first of {@code
   * secretKeys} and verified with any of them (put a new key first to rotate; drop an old key to make its
   * cookies invalid).
   *
   * @param store the session store
   * @param secretKeys the signing keys, newest first
   * @return a new builder
   */
  public static Builder builder(SessionStore store, List<String> secretKeys) {
    return new Builder(store, secretKeys);
  }

  /**
   * The connection's session.
   *
   * @param scope the connection scope
   * @return the connection's session
   * @throws IllegalStateException if no {@link SessionMiddleware} wraps the application
   */
  public static Session session(Scope scope) {
    return optionalSession(scope).orElseThrow(() -> new IllegalStateException(
        "no session in the scope: wrap the application in SessionMiddleware or AuthMiddlewareStack"));
  }

  static Optional<Session> optionalSession(Scope scope) {
    return scope.get(SCOPE_KEY).orElse(null) instanceof Session s ? Optional.of(s) : Optional.empty();
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    boolean http = Scope.HTTP.equals(scope.type());
    if (!http && !Scope.WEBSOCKET.equals(scope.type())) {
      return inner().handle(scope, receive, send);
    }
    return load(scope).thenCompose(session -> {
      Scope s = scope.with(SCOPE_KEY, session);
      Send saving = m -> switch (m.type()) {
        case "http.response.start", "websocket.accept" -> beforeStart(s, session, m).thenCompose(send::send);
        default -> send.send(m);
      };
      return inner().handle(s, receive, saving)
          .thenCompose(v -> !http && session.isModified() ? session.save() : Application.done());
    });
  }

  private CompletionStage<Session> load(Scope scope) {
    String cookie = CookieMiddleware.cookies(scope).get(cookieName);
    if (cookie == null || cookie.isEmpty()) {
      return CompletableFuture.completedFuture(newSession(false));
    }
    String key;
    try {
      key = store.keysAreSigned() ? cookie : signing.unsign(cookie, maxAge);
    } catch (Signing.SignatureException e) {
      return CompletableFuture.completedFuture(ignored(scope, cookie, e));
    }
    return store.load(key, maxAge).handle((data, error) -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof Signing.SignatureException || cause instanceof IllegalArgumentException) {
        return ignored(scope, cookie, (RuntimeException) cause);
      }
      if (cause != null) {
        throw new CompletionException(cause);
      }
      if (data.isPresent()) {
        return new Session(store, maxAge, key, data.get(), true);
      }
      Session empty = newSession(true);
      if (!store.keysAreSigned()) {
        empty.unsavedKey(key); // a key we signed whose data is gone: an empty session may keep its cookie
      }
      return empty;
    });
  }

  private Session newSession(boolean cameWithCookie) {
    return new Session(store, maxAge, null, Map.of(), cameWithCookie);
  }

  private Session ignored(Scope scope, String cookie, RuntimeException why) {
    LOG.warn("Ignored the '{}' cookie ({} chars) from {} on {}: {}; going on without a session", cookieName,
        cookie.length(), Clients.text(scope), Denials.quote(scope.path()), why.getMessage());
    return newSession(true);
  }

  private CompletionStage<Message> beforeStart(Scope scope, Session session, Message start) {
    boolean http = Scope.HTTP.equals(scope.type());
    boolean everyRequest = http && saveEveryRequest;
    if (!session.isModified() && !everyRequest) {
      return CompletableFuture.completedFuture(start);
    }
    if (session.isEmpty() && !everyRequest) {
      return session.discard().thenApply(v -> session.cameWithCookie()
          ? CookieMiddleware.setCookie(start, SetCookie.deletion(cookieName, "/"))
          : start);
    }
    if (session.isEmpty() && !store.keysAreSigned()) {
      // Every request gets a cookie, but an empty session costs the store nothing: a client that never
      // stores anything (a crawler, a flood) cannot fill it.
      return session.discard().thenApply(v ->
          CookieMiddleware.setCookie(start, cookie(scope, session.keyWithoutStoring())));
    }
    return session.save().thenApply(v -> CookieMiddleware.setCookie(start, cookie(scope, session.key().orElseThrow())));
  }

  private SetCookie cookie(Scope scope, String key) {
    String value = store.keysAreSigned() ? key : signing.sign(key);
    boolean tls = secure != null ? secure : scope.scheme().equals("https") || scope.scheme().equals("wss");
    return SetCookie.of(cookieName, value).withMaxAge(maxAge).withSecure(tls).withSameSite(sameSite);
  }

  @Override
  public String toString() {
    return "SessionMiddleware[" + store + ", cookie " + cookieName + "](" + inner() + ")";
  }

  /** Builds a {@link SessionMiddleware}; every setting has Django's default. */
  public static final class Builder {
    private final SessionStore store;
    private final List<String> secretKeys;
    private String cookieName = DEFAULT_COOKIE_NAME;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Boolean secure;
    private String sameSite = "Lax";
    private boolean saveEveryRequest;
    private Clock clock = Clock.systemUTC();

    private Builder(SessionStore store, List<String> secretKeys) {
      this.store = Objects.requireNonNull(store, "store");
      this.secretKeys = Signing.checkSecrets(secretKeys);
    }

    /**
     * The cookie name ({@code sessionid}).
     *
     * @param cookieName the cookie name
     * @return this builder
     */
    public Builder cookieName(String cookieName) {
      SetCookie.of(cookieName, "");
      this.cookieName = cookieName;
      return this;
    }

    /**
     * How long a session lives without being saved again (two weeks): cookie {@code Max-Age} and store expiry.
     *
     * @param maxAge how long a session lives without being saved again
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      if (maxAge == null || maxAge.toSeconds() <= 0) {
        throw new IllegalArgumentException("session max age must be at least 1 s: " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * Forces {@code Secure} on or off; by default it is on for {@code https} and {@code wss} connections.
     *
     * @param secure whether it is sent over HTTPS only
     * @return this builder
     */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /**
     * The {@code SameSite} attribute ({@code Lax}).
     *
     * @param sameSite the {@code SameSite} attribute
     * @return this builder
     */
    public Builder sameSite(String sameSite) {
      this.sameSite = SetCookie.of("x", "").withSameSite(sameSite).sameSite();
      return this;
    }

    /**
     * Saves the session and sets its cookie on every HTTP response, even unchanged or empty (Django's {@code
     * SESSION_SAVE_EVERY_REQUEST}, except that an empty session gets a cookie too, so a page hands its
     * browser a session before anything is stored in it; a server-side store keeps nothing for it). Off by
     * default.
     *
     * @param saveEveryRequest the save every request
     * @return this builder
     */
    public Builder saveEveryRequest(boolean saveEveryRequest) {
      this.saveEveryRequest = saveEveryRequest;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Wraps {@code inner}.
     *
     * @param inner the application to wrap
     * @return the session middleware
     */
    public SessionMiddleware build(Application inner) {
      return new SessionMiddleware(inner, this);
    }
  }
}
