package io.kubermi.agent.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubermi.agent.engine.rules.RmiItem;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.List;

/** The daemon's answer to one DELETE /images, read verbatim, and what it means for a snapshot. */
final class DeleteAnswer {
  private DeleteAnswer() {}

  static RmiResponse send(DockerApi api, String path) {
    DockerApi.Reply reply = api.delete(path);
    if (reply.status() != 200) {
      return RmiResponse.error(
          reply.status(), reply.body().path("message").asText(reply.body().toString()));
    }
    List<RmiItem> items = new ArrayList<>();
    for (JsonNode item : reply.body()) {
      if (item.hasNonNull("Untagged") && !item.get("Untagged").asText().isEmpty()) {
        items.add(RmiItem.untagged(item.get("Untagged").asText()));
      } else if (item.hasNonNull("Deleted")) {
        items.add(RmiItem.deleted(item.get("Deleted").asText()));
      }
    }
    return RmiResponse.ok(items);
  }

  /** Keeps the resolving snapshot in step with what the daemon just did. */
  static void applyTo(ImageStoreModel model, RmiResponse response) {
    for (RmiItem item : response.items()) {
      if (item.kind() == RmiItem.Kind.UNTAGGED) {
        try {
          DockerReference r = DockerReference.parseNormalizedNamed(item.value());
          model.removeReference(r.hasDigest() ? r.withoutTag() : r);
        } catch (InvalidReferenceException ignored) {
          // the daemon printed it, so it parses; nothing to do otherwise
        }
      } else if (model.image(item.value()) != null) {
        model.deleteImage(item.value());
      }
    }
  }
}
