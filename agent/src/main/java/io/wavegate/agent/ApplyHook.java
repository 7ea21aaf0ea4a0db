package io.wavegate.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The consumer's own command, run after each atomic write ({@code sh -c}, so a script or a reload
 * line): the file, its revision, its channel and the previous file in its environment. A non-zero
 * exit or a timeout means the consumer refused the content.
 */
public final class ApplyHook {

  /** How much of the hook's output reaches the report (its last bytes: where the error usually is). */
  static final int OUTPUT_LIMIT = 512;

  private final String command;
  private final Duration timeout;

  public ApplyHook(String command, Duration timeout) {
    this.command = command;
    this.timeout = timeout;
  }

  /** Empty when the hook accepted the content; else why not, with the tail of its output. */
  public Optional<String> run(String channel, Path file, String revision, Path previous) {
    ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command)).redirectErrorStream(true);
    builder.environment().put("WAVEGATE_CHANNEL", channel);
    builder.environment().put("WAVEGATE_FILE", file.toString());
    builder.environment().put("WAVEGATE_REVISION", revision);
    builder.environment().put("WAVEGATE_PREVIOUS_FILE", previous == null ? "" : previous.toString());
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      Thread reader = new Thread(() -> drain(process.getInputStream(), output), "wavegate-hook-output");
      reader.setDaemon(true);
      reader.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        reader.join(1000);
        return Optional.of("apply hook timed out after " + timeout.toMillis() + " ms" + tail(output));
      }
      reader.join(1000);
      int exit = process.exitValue();
      return exit == 0 ? Optional.empty() : Optional.of("apply hook exited " + exit + tail(output));
    } catch (IOException e) {
      return Optional.of("apply hook could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("apply hook interrupted");
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream out) {
    byte[] buffer = new byte[4096];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        synchronized (out) {
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException ignored) {
      // the process is gone; what was read is kept
    }
  }

  private static String tail(ByteArrayOutputStream output) {
    String text;
    synchronized (output) {
      text = output.toString(StandardCharsets.UTF_8).strip();
    }
    if (text.isEmpty()) {
      return "";
    }
    return ": " + (text.length() <= OUTPUT_LIMIT ? text : "..." + text.substring(text.length() - OUTPUT_LIMIT));
  }
}
