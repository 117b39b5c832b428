package io.kubermi.agent.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * One writer per node: an exclusive lock on {@code <dir>/<node>.lock}, held for the agent's life.
 * Two agent pods on one node (a DaemonSet rolling update with surge) mount the same host folder, so
 * the second waits until the first has exited; the kernel drops the lock when a process dies, even
 * by kill -9, so a crashed agent never blocks its successor. It needs no API server, so it holds
 * through an API outage too.
 */
public final class JournalLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private JournalLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits for the lock, telling {@code waiting} once when another process holds it. */
  public static JournalLock acquire(Path dir, String node, Consumer<String> waiting) {
    Path file = dir.resolve(node + ".lock");
    try {
      Files.createDirectories(dir);
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      boolean told = false;
      while (true) {
        FileLock lock = channel.tryLock();
        if (lock != null) return new JournalLock(channel, lock);
        if (!told) {
          waiting.accept("another agent holds " + file + "; waiting for it to exit");
          told = true;
        }
        Thread.sleep(500);
      }
    } catch (IOException e) {
      throw new JournalException("cannot lock " + file + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalException("interrupted while waiting for " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the process is leaving; the kernel releases the lock anyway
    }
  }
}
