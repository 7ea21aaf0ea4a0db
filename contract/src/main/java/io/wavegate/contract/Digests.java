package io.wavegate.contract;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A revision is the sha256 of the content's bytes, in hex; its first 12 hex name it in columns and snapshots. */
public final class Digests {

  public static final int SHORT_REVISION = 12;

  private Digests() {}

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
