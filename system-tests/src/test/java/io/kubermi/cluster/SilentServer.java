package io.kubermi.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An API server that accepts connections on loopback and then says nothing: every connection is
 * held open, never read or answered, until {@link #close()}.
 */
public final class SilentServer implements AutoCloseable {
  private final ServerSocket listener;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  public SilentServer() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "silent-server");
    accept.setDaemon(true);
    accept.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Whether anyone has connected. */
  public boolean reached() {
    return !accepted.isEmpty();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        accepted.add(listener.accept());
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : accepted) s.close();
  }
}
