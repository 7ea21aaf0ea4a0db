package io.wavegate;

/** Entry point of the operator's jar. The node agent has a jar and an image of its own (agent/). */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "operator" : args[0];
    if (!command.equals("operator")) {
      System.err.println("usage: java -jar wavegate.jar [operator]; the node agent is wavegate-agent.jar (agent/)");
      System.exit(2);
    }
    OperatorMain.run();
  }
}
