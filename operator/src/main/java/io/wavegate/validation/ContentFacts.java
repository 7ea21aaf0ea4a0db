package io.wavegate.validation;

import io.wavegate.contract.ContentBytes;
import io.wavegate.contract.Digests;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What one pass over the content tells the gate: its sha256, its size and how many of its bytes are
 * zero. Learnt while the bytes stream by, from a source or on their way to disk, never from a copy.
 */
public record ContentFacts(String sha256, long size, long zeros) {

  private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;

  /** Reads the content once. */
  public static ContentFacts of(ContentBytes content) throws IOException {
    MessageDigest sha = Digests.sha256();
    Counting counting = new Counting(OutputStream.nullOutputStream());
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = content.open()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        sha.update(buffer, 0, n);
        counting.write(buffer, 0, n);
      }
    }
    return new ContentFacts(HexFormat.of().formatHex(sha.digest()), counting.size(), counting.zeros());
  }

  public static ContentFacts of(byte[] bytes) {
    try {
      return of(ContentBytes.of(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("reading memory cannot fail", e);
    }
  }

  /** Counts the bytes written through it and the zero bytes among them (the digest is the writer's to check). */
  public static final class Counting extends FilterOutputStream {

    private long size;
    private long zeros;

    public Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      size++;
      if ((byte) b == 0) {
        zeros++;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      size += len;
      zeros += zeroBytes(b, off, len);
    }

    public long size() {
      return size;
    }

    public long zeros() {
      return zeros;
    }
  }

  /** Zero bytes in a range, eight at a time: a byte is zero when neither its low seven bits nor its top bit is set. */
  static long zeroBytes(byte[] b, int off, int len) {
    long zeros = 0;
    int i = off;
    int end = off + len;
    ByteBuffer words = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long v = words.getLong(i);
      zeros += Long.bitCount(~(((v & LOW_SEVEN) + LOW_SEVEN) | v | LOW_SEVEN));
    }
    for (; i < end; i++) {
      if (b[i] == 0) {
        zeros++;
      }
    }
    return zeros;
  }
}
