package io.kubermi.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the API server that the test can cut: {@link #cut()} drops every open
 * connection (watches too) and refuses new ones until {@link #restore()}, as a network partition
 * between a node and the control plane does. {@link #silenceWatches()} instead stops forwarding on
 * the open watch connections without closing them, as a NAT or load balancer that forgets an idle
 * long-lived flow does; new connections still work.
 */
final class CuttableProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Set<Socket> watches = ConcurrentHashMap.newKeySet();
  private final Set<Socket> silenced = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  CuttableProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  void cut() {
    cut = true;
    open.forEach(CuttableProxy::closeQuietly);
    open.clear();
  }

  void restore() {
    cut = false;
  }

  /** Every watch connection open now forwards nothing more, in either direction, and stays open. */
  void silenceWatches() {
    silenced.addAll(watches);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (cut) {
          closeQuietly(client);
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // closed, or the upstream refused: the client sees a dropped connection
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                byte[] buf = new byte[16384];
                boolean first = true;
                for (int n; (n = in.read(buf)) >= 0; first = false) {
                  if (first && isWatchRequest(buf, n)) watches.add(from);
                  if (silenced.contains(from) || silenced.contains(to)) continue;
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // cut or closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                for (Socket s : List.of(from, to)) {
                  open.remove(s);
                  watches.remove(s);
                  silenced.remove(s);
                }
              }
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** A watch is a WebSocket upgrade of a request with {@code watch=true}. */
  private static boolean isWatchRequest(byte[] buf, int n) {
    String head = new String(buf, 0, n, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    return head.contains("watch=true");
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    cut();
    server.close();
  }
}
