package io.kubermi.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One node's part of an ImageRemoval: created by the operator, executed by that node's agent. */
@Group(KubeRmi.GROUP)
@Version(KubeRmi.VERSION)
@Kind("NodeImageRemoval")
@Plural("nodeimageremovals")
@ShortNames("nirm")
@AdditionalPrinterColumn(
    name = "Node",
    jsonPath = ".spec.nodeName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Engine",
    jsonPath = ".status.engine",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class NodeImageRemoval extends CustomResource<NodeImageRemovalSpec, NodeImageRemovalStatus> {
  @Override
  protected NodeImageRemovalStatus initStatus() {
    return new NodeImageRemovalStatus();
  }
}
