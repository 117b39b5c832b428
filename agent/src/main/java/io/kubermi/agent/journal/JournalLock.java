package io.kubermi.agent.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
      replaceIfNotARegularFile(file, waiting);
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
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

  /**
   * The lock file is only ever made by an agent, as an empty regular file. Anything else there (a
   * link, which would be followed to a file elsewhere on the host; a FIFO, whose open would never
   * return) is removed, never opened.
   */
  private static void replaceIfNotARegularFile(Path file, Consumer<String> report)
      throws IOException {
    try {
      BasicFileAttributes a =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        Files.delete(file);
        report.accept(file + " was not a regular file: removed, and made afresh");
      }
    } catch (NoSuchFileException e) {
      // made below
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
