package io.kubermi.cli.training;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import io.kubermi.agent.engine.containerd.api.ContainersGrpc;
import io.kubermi.agent.engine.containerd.api.ContainersProto;
import io.kubermi.agent.engine.containerd.api.ContentGrpc;
import io.kubermi.agent.engine.containerd.api.ContentProto;
import io.kubermi.agent.engine.containerd.api.ImagesGrpc;
import io.kubermi.agent.engine.containerd.api.ImagesProto;
import io.kubermi.agent.engine.containerd.api.SnapshotsGrpc;
import io.kubermi.agent.engine.containerd.api.SnapshotsProto;
import io.kubermi.agent.engine.containerd.api.TasksGrpc;
import io.kubermi.agent.engine.containerd.api.TasksProto;
import io.kubermi.agent.engine.containerd.api.VersionGrpc;
import io.kubermi.agent.engine.containerd.api.VersionProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for containerd's API on a unix socket, holding one image, for the class-data training
 * only: a removal and a prune against it go down the paths a real one does (the store read from
 * labels and from blobs, the deletions, the collection), so their classes are archived. It answers
 * as containerd would for one image until a name of it is deleted, then as for none.
 */
final class StandInContainerd implements AutoCloseable {
  private final TrainingImage image = new TrainingImage();
  private final EventLoopGroup loop = new EpollEventLoopGroup(1);
  private final Server server;
  private volatile boolean deleted;

  StandInContainerd(Path socket) throws IOException {
    server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(loop)
            .workerEventLoopGroup(loop)
            .addService(new Version())
            .addService(new Images())
            .addService(new Content())
            .addService(new Snapshots())
            .addService(new Containers())
            .addService(new Tasks())
            .build()
            .start();
  }

  private static <T> void answer(StreamObserver<T> observer, T value) {
    observer.onNext(value);
    observer.onCompleted();
  }

  private final class Version extends VersionGrpc.VersionImplBase {
    @Override
    public void version(Empty request, StreamObserver<VersionProto.VersionResponse> observer) {
      answer(observer, VersionProto.VersionResponse.newBuilder().setVersion("training").build());
    }
  }

  private final class Images extends ImagesGrpc.ImagesImplBase {
    @Override
    public void list(
        ImagesProto.ListImagesRequest request,
        StreamObserver<ImagesProto.ListImagesResponse> observer) {
      ImagesProto.ListImagesResponse.Builder list = ImagesProto.ListImagesResponse.newBuilder();
      if (!deleted) {
        ImagesProto.Descriptor target =
            ImagesProto.Descriptor.newBuilder()
                .setMediaType(TrainingImage.MANIFEST_TYPE)
                .setDigest(image.manifestDigest())
                .setSize(image.manifestSize())
                .build();
        for (String name : List.of(TrainingImage.NAME, image.configDigest())) {
          list.addImages(ImagesProto.Image.newBuilder().setName(name).setTarget(target));
        }
      }
      answer(observer, list.build());
    }

    @Override
    public void delete(ImagesProto.DeleteImageRequest request, StreamObserver<Empty> observer) {
      deleted = true;
      answer(observer, Empty.getDefaultInstance());
    }
  }

  private final class Content extends ContentGrpc.ContentImplBase {
    @Override
    public void list(
        ContentProto.ListContentRequest request,
        StreamObserver<ContentProto.ListContentResponse> observer) {
      ContentProto.ListContentResponse.Builder list = ContentProto.ListContentResponse.newBuilder();
      if (!deleted) image.blobs().forEach((digest, blob) -> list.addInfo(info(digest, blob)));
      answer(observer, list.build());
    }

    @Override
    public void info(
        ContentProto.InfoRequest request, StreamObserver<ContentProto.InfoResponse> observer) {
      TrainingImage.Blob blob = present(request.getDigest(), observer);
      if (blob == null) return;
      answer(
          observer,
          ContentProto.InfoResponse.newBuilder().setInfo(info(request.getDigest(), blob)).build());
    }

    @Override
    public void read(
        ContentProto.ReadContentRequest request,
        StreamObserver<ContentProto.ReadContentResponse> observer) {
      TrainingImage.Blob blob = present(request.getDigest(), observer);
      if (blob == null) return;
      answer(
          observer,
          ContentProto.ReadContentResponse.newBuilder()
              .setData(ByteString.copyFrom(blob.bytes()))
              .build());
    }

    /** The blob, or null after answering NOT_FOUND, as containerd does for missing content. */
    private TrainingImage.Blob present(String digest, StreamObserver<?> observer) {
      TrainingImage.Blob blob = deleted ? null : image.blobs().get(digest);
      if (blob == null) observer.onError(Status.NOT_FOUND.asRuntimeException());
      return blob;
    }

    private static ContentProto.Info info(String digest, TrainingImage.Blob blob) {
      return ContentProto.Info.newBuilder()
          .setDigest(digest)
          .setSize(blob.bytes().length)
          .putAllLabels(blob.labels())
          .build();
    }
  }

  private final class Snapshots extends SnapshotsGrpc.SnapshotsImplBase {
    @Override
    public void list(
        SnapshotsProto.ListSnapshotsRequest request,
        StreamObserver<SnapshotsProto.ListSnapshotsResponse> observer) {
      SnapshotsProto.ListSnapshotsResponse.Builder list =
          SnapshotsProto.ListSnapshotsResponse.newBuilder();
      if (!deleted) {
        list.addInfo(
            SnapshotsProto.Info.newBuilder()
                .setName(image.chainId())
                .setKind(SnapshotsProto.Kind.COMMITTED));
      }
      answer(observer, list.build());
    }

    @Override
    public void usage(
        SnapshotsProto.UsageRequest request,
        StreamObserver<SnapshotsProto.UsageResponse> observer) {
      answer(observer, SnapshotsProto.UsageResponse.newBuilder().setSize(4096).build());
    }
  }

  private static final class Containers extends ContainersGrpc.ContainersImplBase {
    @Override
    public void list(
        ContainersProto.ListContainersRequest request,
        StreamObserver<ContainersProto.ListContainersResponse> observer) {
      answer(observer, ContainersProto.ListContainersResponse.getDefaultInstance());
    }
  }

  private static final class Tasks extends TasksGrpc.TasksImplBase {
    @Override
    public void list(
        TasksProto.ListTasksRequest request,
        StreamObserver<TasksProto.ListTasksResponse> observer) {
      answer(observer, TasksProto.ListTasksResponse.getDefaultInstance());
    }
  }

  /** Makes the image reachable again, for a second pass (the prune after the removal). */
  void restore() {
    deleted = false;
  }

  @Override
  public void close() {
    server.shutdownNow();
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }
}
