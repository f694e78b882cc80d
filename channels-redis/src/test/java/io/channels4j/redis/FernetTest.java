package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vectors made with Python cryptography 38 and channels_redis's key derivation:
 * {@code Fernet(urlsafe_b64encode(sha256(b"my-secret-key").digest()))._encrypt_from_parts(msgpack, 1795625015, bytes(range(16)))}.
 */
class FernetTest {

  static final String PY_TOKEN = "gAAAAABrBxA3AAECAwQFBgcICQoLDA0OD-IYZofoOQkVKtYDGetwMvG_No1F4-mbPW8p0i_aJB2MI8v2W29P3CLShwwSkXVqk4lVak9M-fAj5lZozotUpkk=";
  static final long TS = 1795625015L;

  static byte[] plain() {
    return MsgPack.encode(Map.of("type", "hello", "b", new byte[] {1}), null, null);
  }

  @Test
  void derivesTheKeyLikeChannelsRedis() {
    assertThat(Fernet.derivedKey("my-secret-key")).isEqualTo("ExH4_ICn6ijXjddyPwnETBdUzTUWDKjnEzrj1_Y2oZo=");
  }

  @Test
  void producesPythonsTokenForTheSameParts() {
    byte[] iv = new byte[16];
    for (int i = 0; i < 16; i++) {
      iv[i] = (byte) i;
    }
    Fernet f = Fernet.fromSecrets(List.of("my-secret-key"));
    byte[] token = f.encrypt(pythonOrder(), TS, iv);
    assertThat(new String(token, StandardCharsets.US_ASCII)).isEqualTo(PY_TOKEN);
  }

  /** Python's dict order was type, b: same as the map literal there. */
  static byte[] pythonOrder() {
    java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("type", "hello");
    m.put("b", new byte[] {1});
    return MsgPack.encode(m, null, null);
  }

  @Test
  void decryptsPythonsTokenWithAnyConfiguredKeyAndHonoursTtl() {
    byte[] tok = PY_TOKEN.getBytes(StandardCharsets.US_ASCII);
    Fernet rotated = Fernet.fromSecrets(List.of("new-key", "my-secret-key"));
    assertThat(rotated.decrypt(tok, 0, tok.length, 70, TS + 5)).isEqualTo(pythonOrder());
    assertThatThrownBy(() -> rotated.decrypt(tok, 0, tok.length, 70, TS + 71)).hasMessageContaining("expired");
    assertThatThrownBy(() -> rotated.decrypt(tok, 0, tok.length, 70, TS - 61)).hasMessageContaining("future");
    Fernet other = Fernet.fromSecrets(List.of("other"));
    assertThatThrownBy(() -> other.decrypt(tok, 0, tok.length, -1, TS)).hasMessageContaining("none of the 1");
  }

  @Test
  void firstKeyEncryptsAndTokensRoundTripAtAnOffset() {
    Fernet f = Fernet.fromRawKeys(List.of(Base64.getUrlDecoder().decode(Fernet.derivedKey("a"))), new SecureRandom());
    byte[] tok = f.encrypt(plain(), TS);
    byte[] framed = new byte[12 + tok.length];
    System.arraycopy(tok, 0, framed, 12, tok.length);
    Fernet both = Fernet.fromSecrets(List.of("b", "a"));
    assertThat(both.decrypt(framed, 12, tok.length, -1, TS)).isEqualTo(plain());
    byte[] corrupt = tok.clone();
    corrupt[40] ^= 1;
    assertThatThrownBy(() -> both.decrypt(corrupt, 0, corrupt.length, -1, TS)).isInstanceOf(Fernet.InvalidTokenException.class);
  }
}
