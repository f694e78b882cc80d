package io.channels4j.auth;

import java.security.SecureRandom;

/** Random session keys, as Django's {@code get_random_string(32, "a-z0-9")}. */
final class SessionKeys {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int LENGTH = 32;

  private SessionKeys() {}

  static String random() {
    char[] key = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      key[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(key);
  }
}
