package io.kubermi.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** docker rmi for a set of nodes: applied by a user, fanned out by the operator. */
@Group(KubeRmi.GROUP)
@Version(KubeRmi.VERSION)
@Kind("ImageRemoval")
@Plural("imageremovals")
@ShortNames("irm")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Nodes",
    jsonPath = ".status.progress",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Deleted",
    jsonPath = ".status.summary.deleted",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Conflicts",
    jsonPath = ".status.summary.conflicts",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Reclaimed",
    jsonPath = ".status.summary.reclaimedBytes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ImageRemoval extends CustomResource<ImageRemovalSpec, ImageRemovalStatus> {
  @Override
  protected ImageRemovalStatus initStatus() {
    return new ImageRemovalStatus();
  }
}
