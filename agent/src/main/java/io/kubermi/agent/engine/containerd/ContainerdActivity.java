package io.kubermi.agent.engine.containerd;

import io.github.resilience4j.core.IntervalFunction;
import io.grpc.Context;
import io.kubermi.agent.engine.EngineException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * Follows containerd's events about containers, tasks and snapshots of one namespace and tells a
 * listener of each: a task started or exited, a container created or deleted, or a snapshot
 * prepared or removed (a CRI image volume is an active snapshot) may change which images are in
 * use. After the stream breaks (containerd restarting) it tells the listener once more, since
 * containerd does not replay what happened meanwhile, and subscribes again after a pause. One
 * thread blocks on the stream; while nothing happens it uses no CPU.
 */
final class ContainerdActivity implements AutoCloseable {
  static final List<String> TOPICS = List.of("/tasks/", "/containers/", "/snapshot/");

  private static final IntervalFunction RECONNECT =
      IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

  private final ContainerdClient client;
  private final String namespaceName;
  private final Runnable listener;
  private final Thread thread;
  private volatile Context.CancellableContext stream;
  private volatile boolean closed;

  private ContainerdActivity(ContainerdClient client, String namespaceName, Runnable listener) {
    this.client = client;
    this.namespaceName = namespaceName;
    this.listener = listener;
    this.thread = new Thread(this::follow, "containerd-container-activity");
    thread.setDaemon(true);
  }

  static ContainerdActivity start(
      ContainerdClient client, String namespaceName, Runnable listener) {
    ContainerdActivity activity = new ContainerdActivity(client, namespaceName, listener);
    activity.thread.start();
    return activity;
  }

  private void follow() {
    int pauses = 0;
    while (!closed) {
      Context.CancellableContext context = Context.current().withCancellation();
      stream = context;
      try {
        Iterator<?> events = context.call(() -> client.subscribe(namespaceName, TOPICS));
        while (events.hasNext()) {
          events.next();
          pauses = 0;
          listener.run();
        }
      } catch (EngineException e) {
        // containerd stopped or restarting: subscribe again after a pause
      } catch (Exception e) {
        if (!closed) throw new IllegalStateException(e);
      } finally {
        context.cancel(null);
      }
      if (closed) return;
      listener.run();
      try {
        Thread.sleep(RECONNECT.apply(++pauses));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Context.CancellableContext s = stream;
    if (s != null) s.cancel(null);
    thread.interrupt();
  }
}
