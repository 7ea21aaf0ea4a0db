package io.wavegate;

/** Entry point of the single jar: {@code operator} (default) or {@code agent}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "operator" : args[0];
    switch (command) {
      case "operator" -> OperatorMain.run();
      case "agent" -> io.wavegate.agent.AgentMain.run();
      default -> {
        System.err.println("usage: java -jar wavegate.jar [operator|agent]");
        System.exit(2);
      }
    }
  }
}
