package io.wavegate.agent;

import io.wavegate.contract.ContentFileNames;
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
 * A channel's content on the node's disk. {@code <root>/<channel>/<file>} is the content file, the
 * only file there that a consumer reads; everything else the agent keeps in
 * {@code <root>/<channel>/.wavegate/}: {@code current} (which file is current), {@code state} (its
 * {@link ChannelState}), {@code previous/<file>} (the revision it replaced) and temp files. Content
 * names never start with '.' ({@link ContentFileNames}), so no content can collide with the agent's
 * bookkeeping, whatever it is called. Every change is atomic: temp file, fsync, rename, fsync the
 * directory; a crash at any point leaves either the old or the new file current, never a partial one.
 */
public final class ContentStore {

  static final String CURRENT_RECORD = "current";
  static final String STATE_RECORD = "state";
  static final String PREVIOUS_DIR = "previous";
  static final String TEMP_MARK = "tmp-";
  /** The layout of agents before node contract v4's state directory, moved on start ({@link #recover}). */
  static final String LEGACY_CURRENT = ".wavegate-current";
  static final String LEGACY_STATE = ".wavegate-state";
  static final String LEGACY_PREVIOUS_SUFFIX = ".previous";
  static final String LEGACY_TEMP_MARK = ".tmp-";

  private final Path root;

  public ContentStore(Path root) {
    this.root = root;
  }

  /** What is current for a channel: its file name and the sha256 of the bytes actually on disk. */
  public record Current(String fileName, String revision, Path path) {}

  public Optional<Current> current(String channel) throws IOException {
    Path dir = root.resolve(channel);
    Path record = agentDir(channel).resolve(CURRENT_RECORD);
    if (!Files.exists(record)) {
      return Optional.empty();
    }
    String fileName = Files.readString(record, StandardCharsets.UTF_8).trim();
    if (ContentFileNames.problem(fileName).isPresent()) {
      return Optional.empty(); // a hand-edited record names nothing the agent would have written
    }
    Path file = dir.resolve(fileName);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(new Current(fileName, Digests.sha256Hex(file), file));
  }

  /** The file the current one replaced, if it is still kept. */
  public Optional<Path> previous(String channel) throws IOException {
    Path kept = agentDir(channel).resolve(PREVIOUS_DIR);
    if (!Files.isDirectory(kept)) {
      return Optional.empty();
    }
    try (var files = Files.list(kept)) {
      return files.filter(Files::isRegularFile).findFirst();
    }
  }

  /**
   * Makes {@code bytes} the channel's current file, keeping the one it replaces as the previous
   * revision. {@code state} is recorded first: a crash before the rename leaves a state that names a
   * file not on disk, which {@link BootAssessment} recognises as stale.
   *
   * @throws IllegalArgumentException for a name that is not a content file name
   */
  public Path write(String channel, String fileName, byte[] bytes, ChannelState state) throws IOException {
    Path staged = stage(channel);
    try {
      writeDurably(staged, bytes);
      return write(channel, fileName, staged, state);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  /**
   * A fresh path for content on its way in, beside the channel's file (so that the move that makes it
   * current is atomic); left over after a crash, {@link #recover} removes it.
   */
  public Path stage(String channel) throws IOException {
    return Files.createDirectories(agentDir(channel)).resolve(TEMP_MARK + UUID.randomUUID());
  }

  /**
   * Makes the staged file (from {@link #stage}) the channel's current file, as {@link #write(String, String,
   * byte[], ChannelState)} does with bytes; the staged file is gone afterwards, moved or deleted.
   */
  public Path write(String channel, String fileName, Path staged, ChannelState state) throws IOException {
    ContentFileNames.problem(fileName).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    Path dir = Files.createDirectories(root.resolve(channel));
    Path agentDir = Files.createDirectories(agentDir(channel));
    Optional<Current> before = current(channel);
    try {
      try (FileChannel file = FileChannel.open(staged, StandardOpenOption.WRITE)) {
        file.force(true);
      }
      saveState(channel, state);
      if (before.isPresent()) {
        Path kept = Files.createDirectories(agentDir.resolve(PREVIOUS_DIR));
        deleteAll(kept);
        Files.createLink(kept.resolve(before.get().fileName()), before.get().path());
        fsyncDirectory(kept);
      }
      Path target = dir.resolve(fileName);
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      writeAtomically(agentDir, CURRENT_RECORD, (fileName + "\n").getBytes(StandardCharsets.UTF_8));
      if (before.isPresent() && !before.get().fileName().equals(fileName)) {
        Files.deleteIfExists(before.get().path());
      }
      fsyncDirectory(dir);
      return target;
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  /**
   * Makes the previous file current again (or, when there was none, removes the current one: the
   * node had no content before). Returns the digest now current, or null.
   */
  public String restorePrevious(String channel) throws IOException {
    Path dir = root.resolve(channel);
    Path agentDir = agentDir(channel);
    Optional<Current> now = current(channel);
    Optional<Path> previous = previous(channel);
    if (previous.isEmpty()) {
      if (now.isPresent()) {
        Files.deleteIfExists(agentDir.resolve(CURRENT_RECORD));
        Files.deleteIfExists(now.get().path());
        fsyncDirectory(dir);
      }
      return null;
    }
    String fileName = previous.get().getFileName().toString();
    Path target = dir.resolve(fileName);
    Files.move(previous.get(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    writeAtomically(agentDir, CURRENT_RECORD, (fileName + "\n").getBytes(StandardCharsets.UTF_8));
    if (now.isPresent() && !now.get().fileName().equals(fileName)) {
      Files.deleteIfExists(now.get().path());
    }
    fsyncDirectory(dir);
    return Digests.sha256Hex(target);
  }

  /** Forgets the kept previous file (after a revocation, it would be the revoked revision). */
  public void dropPrevious(String channel) throws IOException {
    Path kept = agentDir(channel).resolve(PREVIOUS_DIR);
    if (Files.isDirectory(kept)) {
      deleteAll(kept);
      fsyncDirectory(kept);
    }
  }

  public ChannelState state(String channel) throws IOException {
    Path record = agentDir(channel).resolve(STATE_RECORD);
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
    Path dir = Files.createDirectories(agentDir(channel));
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
    Files.deleteIfExists(agentDir(channel).resolve(CURRENT_RECORD));
    deleteTree(dir);
    fsyncDirectory(root);
  }

  /**
   * On start: deletes temp files a crash left behind (they were never current) and moves a channel
   * kept in the layout of earlier agents ({@code .wavegate-current}, {@code .wavegate-state} and
   * {@code <file>.previous} beside the content) into the agent's directory. Returns how many temp
   * files it removed.
   */
  public int recover() throws IOException {
    int removed = 0;
    for (String channel : channels()) {
      migrateLegacyLayout(channel);
      Path agentDir = agentDir(channel);
      if (!Files.isDirectory(agentDir)) {
        continue;
      }
      try (DirectoryStream<Path> temps = Files.newDirectoryStream(agentDir,
          p -> p.getFileName().toString().startsWith(TEMP_MARK))) {
        for (Path temp : temps) {
          Files.deleteIfExists(temp);
          removed++;
        }
      }
    }
    return removed;
  }

  private void migrateLegacyLayout(String channel) throws IOException {
    Path dir = root.resolve(channel);
    Path legacyCurrent = dir.resolve(LEGACY_CURRENT);
    if (!Files.exists(legacyCurrent)) {
      return;
    }
    Path agentDir = Files.createDirectories(agentDir(channel));
    String current = Files.readString(legacyCurrent, StandardCharsets.UTF_8).trim();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") && name.contains(LEGACY_TEMP_MARK)) {
          Files.deleteIfExists(file); // an old agent's partial write
        } else if (name.endsWith(LEGACY_PREVIOUS_SUFFIX) && !name.equals(current) && Files.isRegularFile(file)) {
          Path kept = Files.createDirectories(agentDir.resolve(PREVIOUS_DIR));
          Files.move(file, kept.resolve(name.substring(0, name.length() - LEGACY_PREVIOUS_SUFFIX.length())),
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
    }
    Path legacyState = dir.resolve(LEGACY_STATE);
    if (Files.exists(legacyState) && !LEGACY_STATE.equals(current)) {
      Files.move(legacyState, agentDir.resolve(STATE_RECORD), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
    // the record last: a crash before it repeats the move on the next start
    Files.move(legacyCurrent, agentDir.resolve(CURRENT_RECORD), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(agentDir);
    fsyncDirectory(dir);
  }

  /** Whether the channel has anything on this node's disk. */
  public boolean holds(String channel) {
    return Files.isDirectory(root.resolve(channel));
  }

  /** Channels that have content on this node. */
  public List<String> channels() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (var dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
          .sorted().toList();
    }
  }

  private static void put(Properties p, String key, Object value) {
    if (value != null) {
      p.setProperty(key, value.toString());
    }
  }

  private Path agentDir(String channel) {
    return root.resolve(channel).resolve(ContentFileNames.AGENT_DIR);
  }

  private static void deleteAll(Path dir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          deleteTree(entry);
        } else {
          Files.deleteIfExists(entry);
        }
      }
    }
    Files.deleteIfExists(dir);
  }

  private static void writeAtomically(Path dir, String name, byte[] bytes) throws IOException {
    Path temp = dir.resolve(TEMP_MARK + name + "-" + UUID.randomUUID());
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
