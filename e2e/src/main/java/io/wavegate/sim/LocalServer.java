package io.wavegate.sim;

/** A server the tests run as a process of their own on loopback (Prometheus, the registry), stopped on close. */
public abstract class LocalServer implements AutoCloseable {

  protected Process process;

  /** Stops the server; a registry can be started again on the same address with the same content. */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      process.waitFor();
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
