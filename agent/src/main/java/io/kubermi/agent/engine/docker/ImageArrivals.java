package io.kubermi.agent.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.core.IntervalFunction;
import io.kubermi.agent.engine.EngineException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows the daemon's image and container events. It inspects each image as it arrives (pulled,
 * loaded, imported, tagged), so a removal's snapshot finds the image's layer chain in {@link
 * ChainCache} and inspects only what arrived unseen: that request is paid when the image arrives,
 * not on the removal's clock. Likewise the sizes of an image's layers, which the byte count needs
 * and which only the image's history gives when more than one of them is new ({@link
 * LayerSizeReader}). A reconnect asks for the events since the stream broke, which the daemon
 * replays from the recent ones it keeps; and since only a cache is filled, an event missed all the
 * same means the removal that needs that image inspects it, as it would without this. While no
 * image event happens this sends nothing and uses no CPU: one thread blocks on the stream.
 * Container events only tell a listener ({@link #onContainerActivity}) that containers changed.
 */
final class ImageArrivals implements AutoCloseable {
  /** Actions after which an image is on the node under a name it may be removed by. */
  private static final Set<String> ARRIVING = Set.of("pull", "load", "import", "tag");

  /** Container actions after which which images run, or have containers, may have changed. */
  private static final Set<String> CONTAINER_ACTIVITY = Set.of("create", "start", "die", "destroy");

  private static final String EVENTS_FILTER = "{\"type\":{\"image\":true,\"container\":true}}";

  /** Between reconnects while the daemon is away; a stopped daemon costs one attempt per 30 s. */
  private static final IntervalFunction RECONNECT =
      IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

  private final DockerApi events;
  private final DockerApi api;
  private final String version;
  private final ChainCache chains;
  private final LayerSizeReader sizes;
  private final Thread thread;
  private volatile boolean closed;

  /** Told of each container's creation, start, exit and removal; null: nobody listens. */
  private volatile Runnable containerActivity;

  /** Pauses begun since the stream was last open; written by the following thread only. */
  private volatile int pausesSinceOpen;

  private final AtomicInteger streamsOpened = new AtomicInteger();

  private ImageArrivals(DockerApi api, String version, ChainCache chains, LayerSizeReader sizes) {
    // Its own connection, with no bound on silence: the stream holds it for the process's life.
    this.events = new DockerApi(api.host(), 1, null);
    this.api = api.readOnly();
    this.version = version;
    this.chains = chains;
    this.sizes = sizes;
    this.thread = new Thread(this::follow, "docker-image-arrivals");
    thread.setDaemon(true);
  }

  /**
   * Starts following the daemon's image events on a thread of its own; {@code sizes}, when not
   * null, learns each arriving image's layer sizes too.
   */
  static ImageArrivals start(
      DockerApi api, String version, ChainCache chains, LayerSizeReader sizes) {
    ImageArrivals arrivals = new ImageArrivals(api, version, chains, sizes);
    arrivals.thread.start();
    return arrivals;
  }

  private void follow() {
    String path = "/v" + version + "/events?filters=" + DeleteRequest.escapeQuery(EVENTS_FILTER);
    Long brokeAt = null; // epoch seconds; the daemon runs on this node, on the same clock
    while (!closed) {
      try {
        // A second early: the daemon's since is inclusive and events carry whole seconds too.
        events.stream(
            brokeAt == null ? path : path + "&since=" + (brokeAt - 1),
            () -> {
              pausesSinceOpen = 0;
              streamsOpened.incrementAndGet();
            },
            this::onEvent);
      } catch (EngineException e) {
        // not there (restarting, stopped): try again after a pause
      }
      if (closed) return;
      if (pausesSinceOpen == 0) brokeAt = Instant.now().getEpochSecond();
      try {
        Thread.sleep(RECONNECT.apply(++pausesSinceOpen));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** From now on tells {@code listener} of each container's creation, start, exit and removal. */
  void onContainerActivity(Runnable listener) {
    containerActivity = listener;
  }

  private void onEvent(JsonNode event) {
    String id = event.path("Actor").path("ID").asText();
    String action = event.path("Action").asText();
    Runnable listener = containerActivity;
    if (event.path("Type").asText().equals("container")
        && CONTAINER_ACTIVITY.contains(action)
        && listener != null) {
      listener.run();
      return;
    }
    if (!event.path("Type").asText().equals("image") || id.isEmpty()) return;
    if (action.equals("delete")) {
      chains.remove(id); // the daemon names the deleted image by its ID
    } else if (ARRIVING.contains(action)) {
      try {
        DockerSnapshot.Inspected image = DockerSnapshot.inspect(api, version, id);
        chains.put(image.id(), image.chain());
        if (sizes != null) sizes.learn(image.id(), image.chain(), version);
      } catch (EngineException e) {
        // removed again already, or the daemon is stopping: a removal inspects it if it needs to
      }
    }
  }

  /** For tests: pauses begun since the stream was last open (the n-th lasts 2^(n-1) s). */
  int pausesSinceOpen() {
    return pausesSinceOpen;
  }

  /** For tests: how often the daemon has accepted the stream. */
  int streamsOpened() {
    return streamsOpened.get();
  }

  @Override
  public void close() {
    closed = true;
    events.close(); // ends the stream the thread is blocked on
    thread.interrupt();
  }
}
