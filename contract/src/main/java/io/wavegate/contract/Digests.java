package io.wavegate.contract;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A revision is the sha256 of the content's bytes, in hex; its first 12 hex name it in columns and snapshots. */
public final class Digests {

  public static final int SHORT_REVISION = 12;

  private Digests() {}

  /** A fresh SHA-256 digest, for content read in pieces. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sha256 of a file's bytes, read in pieces: a file of any size costs one buffer. */
  public static String sha256Hex(java.nio.file.Path file) throws java.io.IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[64 * 1024];
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public static String shortRevision(String digest) {
    return digest == null ? null : digest.substring(0, Math.min(SHORT_REVISION, digest.length()));
  }
}
