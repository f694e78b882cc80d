package io.channels4j.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The session store contract on {@link SignedCookieSessionStore}, plus its format: Django's {@code
 * signing.dumps} (the round trip with Django itself is {@link DjangoSignedCookieInteropTest}).
 */
class SignedCookieSessionStoreTest extends SessionStoreContract {

  private final SignedCookieSessionStore store = new SignedCookieSessionStore(SECRETS);

  @Override
  protected SessionStore store() {
    return store;
  }

  @Override
  protected SessionStore storeSignedWith(List<String> secretKeys) {
    return new SignedCookieSessionStore(secretKeys);
  }

  @Test
  void smallDataIsPlainBase64JsonAndLargeDataIsCompressedWithADot() {
    String small = join(store.save(null, Map.of("a", "b"), Duration.ofMinutes(1)));
    assertThat(small).startsWith("eyJhIjoiYiJ9:").matches("[A-Za-z0-9_-]+:[0-9A-Za-z]+:[A-Za-z0-9_-]{43}");
    String large = join(store.save(null, Map.of("text", "x".repeat(500)), Duration.ofMinutes(1)));
    assertThat(large).startsWith(".").hasSizeLessThan(200);
    assertThat(join(store.load(large, Duration.ofMinutes(1)))).contains(Map.of("text", "x".repeat(500)));
  }

  @Test
  void tamperedPayloadOrSignatureOrUnknownKeyDoesNotLoad() {
    String good = join(store.save(null, Map.of("_auth_user_id", "1"), Duration.ofMinutes(1)));
    String payloadChanged = "eyJfYXV0aF91c2VyX2lkIjoiMiJ9" + good.substring(good.indexOf(':'));
    assertThatThrownBy(() -> join(store.load(payloadChanged, Duration.ofMinutes(1))))
        .isInstanceOf(Signing.SignatureException.class).hasMessage("bad signature");
    SignedCookieSessionStore other = new SignedCookieSessionStore(List.of("another-secret"));
    assertThatThrownBy(() -> join(other.load(good, Duration.ofMinutes(1))))
        .isInstanceOf(Signing.SignatureException.class).hasMessage("bad signature");
    SignedCookieSessionStore rotated = new SignedCookieSessionStore(List.of("another-secret", SECRETS.get(0)));
    assertThat(join(rotated.load(good, Duration.ofMinutes(1)))).contains(Map.of("_auth_user_id", "1"));
  }

  @Test
  void aZipBombIsRefused() {
    String bomb = SignedCookieSessionStore.encode(Map.of("x", "y".repeat(3 << 20)));
    Signing signing = new Signing(SECRETS, SignedCookieSessionStore.SALT, java.time.Clock.systemUTC());
    assertThatThrownBy(() -> join(store.load(signing.sign(bomb), Duration.ofMinutes(1))))
        .isInstanceOf(Signing.SignatureException.class).hasMessageContaining("1 MiB");
  }
}
