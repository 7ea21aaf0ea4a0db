package io.wavegate.contract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Content to check, read as often as a check needs and never all at once: a small value in memory
 * (a ConfigMap's key) or a file on disk (an OCI layer, any size). Every check streams it.
 */
public interface ContentBytes {

  long size();

  InputStream open() throws IOException;

  static ContentBytes of(byte[] bytes) {
    return new ContentBytes() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(bytes);
      }
    };
  }

  static ContentBytes of(Path file) {
    return new ContentBytes() {
      @Override
      public long size() {
        try {
          return Files.size(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }
    };
  }
}
