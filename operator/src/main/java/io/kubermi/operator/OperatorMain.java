package io.kubermi.operator;

import io.kubermi.runtime.Logging;

/** Entry point of the operator image: {@code operator}, the Deployment's process. */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) {
    if (args.length != 1 || !args[0].equals("operator")) {
      System.err.println("Usage: kube-rmi operator (configured from the environment)");
      System.exit(OperatorCommand.EXIT_USAGE);
    }
    Logging.configure(true);
    System.exit(OperatorCommand.run(System.getenv(), System.err));
  }
}
