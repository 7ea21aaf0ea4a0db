package io.wavegate.agent;

import io.wavegate.contract.Digests;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;

/**
 * A channel's content on the node's disk, under {@code <root>/<channel>/}: the current file, the
 * previous revision beside it ({@code <file>.previous}), a record of which file is current, and the
 * agent's {@link ChannelState}. Every change is atomic: temp file in the same directory, fsync,
 * rename, fsync the directory; a crash at any point leaves either the old or the new file current,
 * never a partial one.
 */
public final class ContentStore {

  static final String CURRENT_RECORD = ".wavegate-current";
  static final String STATE_RECORD = ".wavegate-state";
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
    return Optional.of(new Current(fileName, Digests.sha256Hex(Files.readAllBytes(file)), file));
  }

  /** The file the current one replaced, if it is still kept. */
  public Optional<Path> previous(String channel) throws IOException {
    Path dir = root.resolve(channel);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(PREVIOUS_SUFFIX)).findFirst();
    }
  }

  /**
   * Makes {@code bytes} the channel's current file, keeping the one it replaces as the previous
   * revision. {@code state} is recorded first: a crash before the rename leaves a state that names a
   * file not on disk, which {@link BootAssessment} recognises as stale.
   */
  public Path write(String channel, String fileName, byte[] bytes, ChannelState state) throws IOException {
    Path dir = Files.createDirectories(root.resolve(channel));
    Optional<Current> before = current(channel);
    Path temp = dir.resolve("." + fileName + TEMP_MARK + UUID.randomUUID());
    try {
      writeDurably(temp, bytes);
      saveState(channel, state);
      if (before.isPresent()) {
        deletePrevious(dir);
        Files.createLink(dir.resolve(before.get().fileName() + PREVIOUS_SUFFIX), before.get().path());
      }
      Path target = dir.resolve(fileName);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      writeAtomically(dir, CURRENT_RECORD, (fileName + "\n").getBytes(StandardCharsets.UTF_8));
      if (before.isPresent() && !before.get().fileName().equals(fileName)) {
        Files.deleteIfExists(before.get().path());
      }
      fsyncDirectory(dir);
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Makes the previous file current again (or, when there was none, removes the current one: the
   * node had no content before). Returns the digest now current, or null.
   */
  public String restorePrevious(String channel) throws IOException {
    Path dir = root.resolve(channel);
    Optional<Current> now = current(channel);
    Optional<Path> previous = previous(channel);
    if (previous.isEmpty()) {
      if (now.isPresent()) {
        Files.deleteIfExists(dir.resolve(CURRENT_RECORD));
        Files.deleteIfExists(now.get().path());
        fsyncDirectory(dir);
      }
      return null;
    }
    String name = previous.get().getFileName().toString();
    String fileName = name.substring(0, name.length() - PREVIOUS_SUFFIX.length());
    Path target = dir.resolve(fileName);
    Files.move(previous.get(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    writeAtomically(dir, CURRENT_RECORD, (fileName + "\n").getBytes(StandardCharsets.UTF_8));
    if (now.isPresent() && !now.get().fileName().equals(fileName)) {
      Files.deleteIfExists(now.get().path());
    }
    fsyncDirectory(dir);
    return Digests.sha256Hex(Files.readAllBytes(target));
  }

  public ChannelState state(String channel) throws IOException {
    Path record = root.resolve(channel).resolve(STATE_RECORD);
    if (!Files.exists(record)) {
      return ChannelState.NONE;
    }
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(record, StandardCharsets.UTF_8)));
    Function<String, Instant> time = key -> p.getProperty(key) == null ? null : Instant.parse(p.getProperty(key));
    try {
      return new ChannelState(p.getProperty("revision"), time.apply("appliedAt"), p.getProperty("bootId"),
          time.apply("confirmAt"), time.apply("confirmedAt"), p.getProperty("refusedRevision"),
          p.getProperty("refusedReason"), p.getProperty("refusedMessage"));
    } catch (RuntimeException unreadable) {
      return ChannelState.NONE; // a hand-edited record: nothing tentative, nothing refused
    }
  }

  public void saveState(String channel, ChannelState state) throws IOException {
    Path dir = Files.createDirectories(root.resolve(channel));
    Properties p = new Properties();
    put(p, "revision", state.revision());
    put(p, "appliedAt", state.appliedAt());
    put(p, "bootId", state.bootId());
    put(p, "confirmAt", state.confirmAt());
    put(p, "confirmedAt", state.confirmedAt());
    put(p, "refusedRevision", state.refusedRevision());
    put(p, "refusedReason", state.refusedReason());
    put(p, "refusedMessage", state.refusedMessage());
    StringWriter text = new StringWriter();
    p.store(text, "wavegate agent state of channel " + channel + " (docs/node-contract.md)");
    writeAtomically(dir, STATE_RECORD, text.toString().getBytes(StandardCharsets.UTF_8));
    fsyncDirectory(dir);
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
    int removed = 0;
    for (String channel : channels()) {
      try (DirectoryStream<Path> temps = Files.newDirectoryStream(root.resolve(channel),
          p -> p.getFileName().toString().contains(TEMP_MARK))) {
        for (Path temp : temps) {
          Files.deleteIfExists(temp);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Channels that have content on this node. */
  public List<String> channels() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (var dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void put(Properties p, String key, Object value) {
    if (value != null) {
      p.setProperty(key, value.toString());
    }
  }

  private static void deletePrevious(Path dir) throws IOException {
    try (DirectoryStream<Path> previous = Files.newDirectoryStream(dir, "*" + PREVIOUS_SUFFIX)) {
      for (Path file : previous) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static void writeAtomically(Path dir, String name, byte[] bytes) throws IOException {
    Path temp = dir.resolve("." + name + TEMP_MARK + UUID.randomUUID());
    try {
      writeDurably(temp, bytes);
      Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
