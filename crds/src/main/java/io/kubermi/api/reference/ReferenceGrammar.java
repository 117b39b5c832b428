package io.kubermi.api.reference;

/**
 * Docker's reference grammar (distribution/reference) as RE2-compatible regular expressions, so the
 * very same expression serves the CRD schema (evaluated by the API server in Go) and the Java
 * validator and parser.
 */
public final class ReferenceGrammar {
  static final String ALNUM = "[a-z0-9]+";
  static final String SEPARATOR = "(?:[._]|__|[-]+)";
  static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
  static final String HOST =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|" + IPV6 + ")";
  static final String DOMAIN = HOST + "(?::[0-9]+)?";
  static final String TAG = "[\\w][\\w.-]{0,127}";
  static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  static final String NAME =
      "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";

  /**
   * A whole reference: {@code name[:tag][@digest]}. Bare hex IDs and {@code sha256:<hex>} match
   * too.
   */
  public static final String REFERENCE = "^" + NAME + "(?::" + TAG + ")?(?:@" + DIGEST + ")?$";

  /** Docker's limit on the name part (without tag and digest). */
  public static final int NAME_MAX_LENGTH = 255;

  /**
   * Whole-string limit the CRD schema enforces; the name limit above is checked by the validator.
   */
  public static final int REFERENCE_MAX_LENGTH = 512;

  /** A platform as {@code --platform} takes it: {@code os[/arch[/variant]]}. */
  public static final String PLATFORM = "^[a-z0-9]+(?:/[a-z0-9_]+(?:/[a-z0-9]+)?)?$";

  public static final int PLATFORM_MAX_LENGTH = 64;

  /** A Kubernetes node name (DNS subdomain). */
  public static final String NODE_NAME =
      "^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$";

  public static final int NODE_NAME_MAX_LENGTH = 253;

  private ReferenceGrammar() {}
}
