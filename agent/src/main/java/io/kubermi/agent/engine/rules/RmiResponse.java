package io.kubermi.agent.engine.rules;

import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import java.util.List;

/**
 * What the Docker API answers to one {@code DELETE /images/{name}}: the items (status 200) or an
 * HTTP status with docker's message. Also what the planner predicts.
 */
public record RmiResponse(int status, List<RmiItem> items, String message) {
  public static RmiResponse ok(List<RmiItem> items) {
    return new RmiResponse(200, List.copyOf(items), null);
  }

  public static RmiResponse error(int status, String message) {
    return new RmiResponse(status, List.of(), message);
  }

  public boolean isOk() {
    return status == 200;
  }

  /** The result as the API reports it for the reference the user gave. */
  public ImageResult toResult(String image) {
    Outcome outcome =
        switch (status) {
          case 200 -> Outcome.Removed;
          case 404 -> Outcome.NotFound;
          case 409 -> Outcome.Conflict;
          case 403 -> Outcome.Protected;
          default -> Outcome.Error;
        };
    List<String> untagged =
        items.stream().filter(i -> i.kind() == RmiItem.Kind.UNTAGGED).map(RmiItem::value).toList();
    List<String> deleted =
        items.stream().filter(i -> i.kind() == RmiItem.Kind.DELETED).map(RmiItem::value).toList();
    return new ImageResult(image, outcome, untagged, deleted, message);
  }
}
