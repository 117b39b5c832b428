package io.kubermi.agent.engine.containerd;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kubermi.agent.engine.DryRunViolation;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.containerd.api.ContainersGrpc;
import io.kubermi.agent.engine.containerd.api.ContainersProto;
import io.kubermi.agent.engine.containerd.api.ContentGrpc;
import io.kubermi.agent.engine.containerd.api.ContentProto;
import io.kubermi.agent.engine.containerd.api.EventsGrpc;
import io.kubermi.agent.engine.containerd.api.EventsProto;
import io.kubermi.agent.engine.containerd.api.ImagesGrpc;
import io.kubermi.agent.engine.containerd.api.ImagesProto;
import io.kubermi.agent.engine.containerd.api.NamespacesGrpc;
import io.kubermi.agent.engine.containerd.api.NamespacesProto;
import io.kubermi.agent.engine.containerd.api.SnapshotsGrpc;
import io.kubermi.agent.engine.containerd.api.SnapshotsProto;
import io.kubermi.agent.engine.containerd.api.TasksGrpc;
import io.kubermi.agent.engine.containerd.api.TasksProto;
import io.kubermi.agent.engine.containerd.api.VersionGrpc;
import io.kubermi.agent.engine.containerd.api.VersionProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * containerd's gRPC API over its unix socket, every call in one namespace. {@link #readOnly()} is
 * the view a dry run gets: the same channel, every change refused.
 */
final class ContainerdClient implements AutoCloseable {
  static final Metadata.Key<String> NAMESPACE_HEADER =
      Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);
  private static final long DEADLINE_SECONDS = 120;

  private final String address;
  private final ManagedChannel channel;
  private final ClientInterceptor namespace;
  private final boolean readOnly;

  ContainerdClient(String socketPath, String namespaceName) {
    this.readOnly = false;
    this.address = socketPath;
    this.channel =
        Grpc.newChannelBuilder("unix://" + socketPath, InsecureChannelCredentials.create()).build();
    Metadata md = new Metadata();
    md.put(NAMESPACE_HEADER, namespaceName);
    this.namespace = MetadataUtils.newAttachHeadersInterceptor(md);
  }

  private ContainerdClient(ContainerdClient writable) {
    this.address = writable.address;
    this.channel = writable.channel;
    this.namespace = writable.namespace;
    this.readOnly = true;
  }

  /** This client with every change refused ({@link DryRunViolation}); closing it closes nothing. */
  ContainerdClient readOnly() {
    return readOnly ? this : new ContainerdClient(this);
  }

  private void checkWritable(String change) {
    if (readOnly) {
      throw new DryRunViolation(change);
    }
  }

  String address() {
    return address;
  }

  /**
   * The events of the namespace whose topic starts with one of {@code topics} ({@code /tasks/},
   * ...), as they happen, until {@code context} is cancelled or the connection breaks (an {@link
   * EngineException} from the iterator).
   */
  Iterator<EventsProto.Envelope> subscribe(String namespaceName, List<String> topics) {
    EventsProto.SubscribeRequest.Builder request = EventsProto.SubscribeRequest.newBuilder();
    for (String topic : topics) {
      request.addFilters("namespace==" + namespaceName + ",topic~=\"^" + topic + "\"");
    }
    Iterator<EventsProto.Envelope> events =
        EventsGrpc.newBlockingStub(channel).subscribe(request.build());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return events.hasNext();
        } catch (StatusRuntimeException e) {
          throw failure(e);
        }
      }

      @Override
      public EventsProto.Envelope next() {
        try {
          return events.next();
        } catch (StatusRuntimeException e) {
          throw failure(e);
        }
      }
    };
  }

  private ImagesGrpc.ImagesBlockingStub images() {
    return ImagesGrpc.newBlockingStub(channel)
        .withInterceptors(namespace)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private ContentGrpc.ContentBlockingStub content() {
    return ContentGrpc.newBlockingStub(channel)
        .withInterceptors(namespace)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** The names of the engine's namespaces (containerd's own call needs none). */
  List<String> namespaces() {
    return call(
        () ->
            NamespacesGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .list(NamespacesProto.ListNamespacesRequest.getDefaultInstance())
                .getNamespacesList()
                .stream()
                .map(NamespacesProto.Namespace::getName)
                .toList());
  }

  VersionProto.VersionResponse version() {
    return call(
        () ->
            VersionGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .version(Empty.getDefaultInstance()));
  }

  List<ImagesProto.Image> listImages() {
    return call(
        () -> images().list(ImagesProto.ListImagesRequest.getDefaultInstance()).getImagesList());
  }

  /** Deletes one name; with sync, waits until garbage collection freed what nothing references. */
  void deleteImage(String name, boolean sync) {
    checkWritable("delete the image name " + name);
    call(
        () ->
            images()
                .delete(
                    ImagesProto.DeleteImageRequest.newBuilder()
                        .setName(name)
                        .setSync(sync)
                        .build()));
  }

  /**
   * {@link #deleteImage} without waiting for the answer: the calls share the channel's one HTTP/2
   * connection instead of holding a thread each. Fails with an {@link EngineException}.
   */
  CompletableFuture<Void> deleteImageAsync(String name) {
    checkWritable("delete the image name " + name);
    CompletableFuture<Void> answer = new CompletableFuture<>();
    ImagesGrpc.newStub(channel)
        .withInterceptors(namespace)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .delete(
            ImagesProto.DeleteImageRequest.newBuilder().setName(name).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(Empty value) {}

              @Override
              public void onError(Throwable t) {
                answer.completeExceptionally(
                    failure(
                        t instanceof StatusRuntimeException e
                            ? e
                            : Status.fromThrowable(t).asRuntimeException()));
              }

              @Override
              public void onCompleted() {
                answer.complete(null);
              }
            });
    return answer;
  }

  /** A blob's bytes, or null when the content store does not have it. */
  byte[] readBlob(String digest) {
    try {
      Iterator<ContentProto.ReadContentResponse> it =
          content().read(ContentProto.ReadContentRequest.newBuilder().setDigest(digest).build());
      ByteString data = ByteString.EMPTY;
      while (it.hasNext()) {
        data = data.concat(it.next().getData());
      }
      return data.toByteArray();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw failure(e);
    }
  }

  /** Every blob in the content store now, with its size: one call instead of one per blob. */
  Map<String, Long> contentSizes() {
    Map<String, Long> sizes = new HashMap<>();
    contentInfo().forEach((digest, blob) -> sizes.put(digest, blob.size()));
    return sizes;
  }

  /** Every blob in the content store now, with its size and labels: one call. */
  Map<String, GcLabels.Blob> contentInfo() {
    return call(
        () -> {
          Map<String, GcLabels.Blob> blobs = new HashMap<>();
          content()
              .list(ContentProto.ListContentRequest.getDefaultInstance())
              .forEachRemaining(
                  r ->
                      r.getInfoList()
                          .forEach(
                              i ->
                                  blobs.put(
                                      i.getDigest(),
                                      new GcLabels.Blob(i.getSize(), i.getLabelsMap()))));
          return blobs;
        });
  }

  /** Whether the content store has the blob now. */
  boolean hasBlob(String digest) {
    return blobSize(digest) >= 0;
  }

  /** The blob's size in the content store now, or -1 when it is not there. */
  long blobSize(String digest) {
    try {
      return content()
          .info(ContentProto.InfoRequest.newBuilder().setDigest(digest).build())
          .getInfo()
          .getSize();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return -1;
      }
      throw failure(e);
    }
  }

  /** Bytes a snapshot uses on disk (what the snapshotter measures), or -1 when it is not there. */
  long snapshotUsage(String snapshotter, String key) {
    try {
      return SnapshotsGrpc.newBlockingStub(channel)
          .withInterceptors(namespace)
          .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .usage(
              SnapshotsProto.UsageRequest.newBuilder()
                  .setSnapshotter(snapshotter)
                  .setKey(key)
                  .build())
          .getSize();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return -1;
      }
      throw failure(e);
    }
  }

  /**
   * Deletes a blob; one already gone (garbage collection may have been first) counts as deleted.
   */
  void deleteBlob(String digest) {
    checkWritable("delete the blob " + digest);
    try {
      content().delete(ContentProto.DeleteContentRequest.newBuilder().setDigest(digest).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw failure(e);
      }
    }
  }

  List<ContainersProto.Container> listContainers() {
    return call(
        () ->
            ContainersGrpc.newBlockingStub(channel)
                .withInterceptors(namespace)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .list(ContainersProto.ListContainersRequest.getDefaultInstance())
                .getContainersList());
  }

  List<TasksProto.Process> listTasks() {
    return call(
        () ->
            TasksGrpc.newBlockingStub(channel)
                .withInterceptors(namespace)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .list(TasksProto.ListTasksRequest.getDefaultInstance())
                .getTasksList());
  }

  /** Every snapshot of a snapshotter in the namespace: name and parent. */
  List<SnapshotsProto.Info> listSnapshots(String snapshotter) {
    return call(
        () -> {
          List<SnapshotsProto.Info> all = new ArrayList<>();
          SnapshotsGrpc.newBlockingStub(channel)
              .withInterceptors(namespace)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .list(
                  SnapshotsProto.ListSnapshotsRequest.newBuilder()
                      .setSnapshotter(snapshotter)
                      .build())
              .forEachRemaining(r -> all.addAll(r.getInfoList()));
          return all;
        });
  }

  private <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw failure(e);
    }
  }

  private EngineException failure(StatusRuntimeException e) {
    return new EngineException(
        "containerd at "
            + address
            + ": "
            + e.getStatus().getCode()
            + ": "
            + (e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription()),
        e);
  }

  @Override
  public void close() {
    if (readOnly) {
      return; // the writable instance owns the channel
    }
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
