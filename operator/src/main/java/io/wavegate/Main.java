package io.wavegate;

/** Entry point of the single jar: `operator` (default) or `agent`. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "operator" : args[0];
    System.err.println("wavegate: the '" + command + "' entrypoint is not built yet");
    System.exit(2);
  }
}
