package io.wavegate.agent;

import io.wavegate.validation.ContentGate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * A channel's content on the node's disk, under {@code <root>/<channel>/}: the current file, the
 * previous revision beside it ({@code <file>.previous}), and a small record of which file is current.
 * Every change is atomic: temp file in the same directory, fsync, rename, fsync the directory; a
 * crash at any point leaves either the old or the new file current, never a partial one.
 */
public final class ContentStore {

  static final String CURRENT_RECORD = ".wavegate-current";
  static final String TEMP_MARK = ".tmp-";
  static final String PREVIOUS_SUFFIX = ".previous";

  private final Path root;

  public ContentStore(Path root) {
    this.root = root;
  }

  /** What is current for a channel: its file name and the sha256 of the bytes actually on disk. */
  public record Current(String fileName, String revision, Path path) {}

  public Optional<Current> current(String channel) throws IOException {
    Path dir = root.resolve(channel);
    Path record = dir.resolve(CURRENT_RECORD);
    if (!Files.exists(record)) {
      return Optional.empty();
    }
    String fileName = Files.readString(record, StandardCharsets.UTF_8).trim();
    Path file = dir.resolve(fileName);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(new Current(fileName, ContentGate.sha256Hex(Files.readAllBytes(file)), file));
  }

  /** Makes {@code bytes} the channel's current file, keeping the one it replaces as the previous revision. */
  public Path write(String channel, String fileName, byte[] bytes) throws IOException {
    Path dir = Files.createDirectories(root.resolve(channel));
    Optional<Current> before = current(channel);
    Path temp = dir.resolve("." + fileName + TEMP_MARK + UUID.randomUUID());
    try {
      writeDurably(temp, bytes);
      if (before.isPresent()) {
        Path previous = dir.resolve(before.get().fileName() + PREVIOUS_SUFFIX);
        Files.deleteIfExists(previous);
        Files.createLink(previous, before.get().path());
      }
      Path target = dir.resolve(fileName);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      recordCurrent(dir, fileName);
      if (before.isPresent() && !before.get().fileName().equals(fileName)) {
        Files.deleteIfExists(before.get().path());
      }
      fsyncDirectory(dir);
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Removes the channel's content from the node. */
  public void remove(String channel) throws IOException {
    Path dir = root.resolve(channel);
    if (!Files.isDirectory(dir)) {
      return;
    }
    Files.deleteIfExists(dir.resolve(CURRENT_RECORD));
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
    fsyncDirectory(root);
  }

  /** Deletes temp files a crash left behind; they were never current. Returns how many. */
  public int recover() throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> channels = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path dir : channels) {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, p -> p.getFileName().toString().contains(TEMP_MARK))) {
          for (Path temp : temps) {
            Files.deleteIfExists(temp);
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /** Channels that have content on this node. */
  public java.util.List<String> channels() throws IOException {
    if (!Files.isDirectory(root)) {
      return java.util.List.of();
    }
    try (var dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void recordCurrent(Path dir, String fileName) throws IOException {
    Path temp = dir.resolve("." + CURRENT_RECORD + TEMP_MARK + UUID.randomUUID());
    try {
      writeDurably(temp, (fileName + "\n").getBytes(StandardCharsets.UTF_8));
      Files.move(temp, dir.resolve(CURRENT_RECORD), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void writeDurably(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
