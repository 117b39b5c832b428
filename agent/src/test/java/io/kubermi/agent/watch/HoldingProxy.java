package io.kubermi.agent.watch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP proxy on loopback that holds what the client sends on its first connection until {@link
 * #release()}, then delivers it even if the client has given up on that connection meanwhile: a
 * request delayed in the network, arriving after later ones. Every other connection passes straight
 * through.
 */
final class HoldingProxy implements AutoCloseable {
  final CountDownLatch held = new CountDownLatch(1);
  final CountDownLatch answered = new CountDownLatch(1);
  private final ServerSocket listener;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream heldBytes = new ByteArrayOutputStream();
  private final StringBuilder heldAnswer = new StringBuilder();
  private OutputStream heldUpstream;
  private boolean released;

  HoldingProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Sends on what the first connection's client wrote, and anything it writes after. */
  synchronized void release() throws IOException {
    released = true;
    if (heldUpstream != null) {
      heldUpstream.write(heldBytes.toByteArray());
      heldUpstream.flush();
    }
  }

  /** The first line of the server's answer on the held connection. */
  synchronized String heldAnswer() {
    String all = heldAnswer.toString();
    int end = all.indexOf("\r\n");
    return end < 0 ? all : all.substring(0, end);
  }

  private void accept() {
    boolean first = true;
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        sockets.add(client);
        sockets.add(upstream);
        if (first) {
          first = false;
          synchronized (this) {
            heldUpstream = upstream.getOutputStream();
          }
          daemon(() -> holdFrom(client));
          daemon(() -> answerHeld(upstream, client));
        } else {
          daemon(() -> pump(client, upstream));
          daemon(() -> pump(upstream, client));
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private void holdFrom(Socket client) {
    byte[] buffer = new byte[8192];
    try {
      InputStream in = client.getInputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        synchronized (this) {
          if (released) heldUpstream.write(buffer, 0, n);
          else heldBytes.write(buffer, 0, n);
        }
        held.countDown();
      }
    } catch (IOException e) {
      // The client gave up on the connection; what it sent stays held for release().
    }
  }

  private void answerHeld(Socket upstream, Socket client) {
    byte[] buffer = new byte[8192];
    try {
      InputStream in = upstream.getInputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        synchronized (this) {
          heldAnswer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        answered.countDown();
        try {
          client.getOutputStream().write(buffer, 0, n);
        } catch (IOException e) {
          // The client is gone; the answer was still recorded.
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // either side closed
    }
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "holding-proxy");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) s.close();
  }
}
