package io.channels4j.undertow;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A TLS context from PEM files, with the JDK alone: a certificate chain ({@code BEGIN CERTIFICATE}
 * blocks, the server's first) and an unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}: RSA, EC,
 * Ed25519). Both may sit in one file. Any problem is an {@link IllegalArgumentException} naming the file
 * and what to do.
 */
final class PemTls {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final String CONVERT = "openssl pkcs8 -topk8 -nocrypt -in %s -out key-pkcs8.pem";

  private PemTls() {}

  /** A TLS server context serving the chain in {@code certFile} with the key in {@code keyFile}. */
  static SSLContext context(Path certFile, Path keyFile) {
    List<Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    if (!matches(key, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException("the private key in " + keyFile + " does not belong to the first certificate in "
          + certFile);
    }
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
      return UndertowListener.sslContext(store, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot use " + certFile + " and " + keyFile + " for TLS: " + e.getMessage(), e);
    }
  }

  /** Every certificate in the file, in order; at least one. */
  static List<Certificate> certificates(Path file) {
    List<Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.type.equals("CERTIFICATE")) {
          out.add(factory.generateCertificate(new ByteArrayInputStream(b.der)));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("bad certificate in " + file + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no '-----BEGIN CERTIFICATE-----' block in " + file);
    }
    return out;
  }

  /** The file's PKCS#8 private key; a PKCS#1 or SEC1 key gets the openssl command that converts it. */
  static PrivateKey privateKey(Path file) {
    for (Block b : blocks(file)) {
      switch (b.type) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, b.der);
        }
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException("the key in " + file + " is "
            + b.type + " (" + (b.type.startsWith("RSA") ? "PKCS#1" : "SEC1")
            + "); the JDK reads PKCS#8 ('BEGIN PRIVATE KEY'). Convert it with: " + String.format(CONVERT, file));
        case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("the key in " + file
            + " is encrypted; decrypt it with: " + String.format(CONVERT, file));
        default -> { } // certificates and parameters beside the key
      }
    }
    throw new IllegalArgumentException("no '-----BEGIN PRIVATE KEY-----' block in " + file);
  }

  private static PrivateKey pkcs8(Path file, byte[] der) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("the private key in " + file + " is not an RSA, EC or EdDSA PKCS#8 key");
  }

  /** True if {@code key} signs what {@code publicKey} verifies. */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448
    };
    try {
      byte[] data = "channels4j".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(data);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad base64 in the " + m.group(1) + " block of " + file, e);
      }
    }
    return out;
  }
}
