package io.kubermi.api.reference;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed, normalized Docker image reference ({@code docker.io/library/} implied as docker does).
 * Mirrors distribution/reference's ParseNormalizedNamed: the same grammar, the same error messages.
 */
public final class DockerReference {
  public static final String DEFAULT_DOMAIN = "docker.io";
  private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
  private static final String OFFICIAL_REPO_PREFIX = "library/";

  public static final String ERR_FORMAT = "invalid reference format";
  public static final String ERR_UPPERCASE =
      "invalid reference format: repository name must be lowercase";

  /**
   * The same refusal in the words of daemons from API 1.44 (Docker 25) on, whose reference library
   * names the repository path it read ({@code invalid reference format: repository name
   * (library/Busybox) must be lowercase}), or null where that library reads the capital as part of
   * a registry name ({@code Foo/bar}) and so does not refuse for it: a known difference, see the
   * semantics document. The path is found as that library finds it: a first component with '.' or
   * ':', {@code localhost}, or a capital is a registry; an official image gets {@code library/};
   * the path ends at the first ':'.
   */
  public static String uppercaseNaming(String ref) {
    String remote = split(ref, true).remote();
    if (remote.equals(remote.toLowerCase(Locale.ROOT))) return null;
    return "invalid reference format: repository name (" + remote + ") must be lowercase";
  }

  /** A reference's registry, the rest after it, and the repository path (the rest up to ':'). */
  private record Split(String domain, String remainder, String remote) {}

  /**
   * Splits as Docker's reference library does: a first component with '.' or ':', or {@code
   * localhost}, is a registry, and with {@code capitalIsRegistry} (the library of API 1.44 on) one
   * with a capital is too; 20.10's reads that as part of the repository. The legacy index name
   * becomes docker.io; an official image gets {@code library/}.
   */
  private static Split split(String s, boolean capitalIsRegistry) {
    int slash = s.indexOf('/');
    String domain = DEFAULT_DOMAIN;
    String remainder = s;
    if (slash >= 0) {
      String first = s.substring(0, slash);
      if (first.contains(".")
          || first.contains(":")
          || first.equals("localhost")
          || (capitalIsRegistry && !first.equals(first.toLowerCase(Locale.ROOT)))) {
        domain = first.equals(LEGACY_DEFAULT_DOMAIN) ? DEFAULT_DOMAIN : first;
        remainder = s.substring(slash + 1);
      }
    }
    if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
      remainder = OFFICIAL_REPO_PREFIX + remainder;
    }
    int colon = remainder.indexOf(':');
    return new Split(domain, remainder, colon < 0 ? remainder : remainder.substring(0, colon));
  }

  public static final String ERR_TOO_LONG = "repository name must not be more than 255 characters";

  /** Longer than any digest algorithm's name (sha256, sha512, blake3): refused unmatched. */
  static final int DIGEST_ALGORITHM_MAX_LENGTH = 64;

  private static final Pattern REFERENCE =
      Pattern.compile(
          "^("
              + ReferenceGrammar.NAME
              + ")(?::("
              + ReferenceGrammar.TAG
              + "))?(?:@("
              + ReferenceGrammar.DIGEST
              + "))?$");
  private static final Pattern FULL_ID = Pattern.compile("^[a-f0-9]{64}$");

  private final String domain;
  private final String path;
  private final String tag;
  private final String digest;

  private DockerReference(String domain, String path, String tag, String digest) {
    this.domain = domain;
    this.path = path;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses a repository reference; a bare 64-hex string is refused as docker refuses it as a name.
   */
  public static DockerReference parseNormalizedNamed(String s) throws InvalidReferenceException {
    if (FULL_ID.matcher(s).matches()) {
      throw new InvalidReferenceException(
          "invalid repository name (" + s + "), cannot specify 64-byte hexadecimal strings");
    }
    // As Docker 20.10's daemon splits (verified against it): a first component without '.' or ':'
    // is part of the repository even if it has uppercase letters (newer Docker reads it as a host).
    Split split = split(s, false);
    if (!split.remote().toLowerCase(Locale.ROOT).equals(split.remote())) {
      throw new InvalidReferenceException(ERR_UPPERCASE);
    }
    return parse(split.domain() + "/" + split.remainder());
  }

  private static DockerReference parse(String s) throws InvalidReferenceException {
    refuseWhatTheGrammarCannotMatchSafely(s);
    Matcher m = REFERENCE.matcher(s);
    if (!m.matches()) {
      if (s.isEmpty()) {
        throw new InvalidReferenceException("repository name must have at least one component");
      }
      if (REFERENCE.matcher(s.toLowerCase(Locale.ROOT)).matches()) {
        throw new InvalidReferenceException(ERR_UPPERCASE);
      }
      throw new InvalidReferenceException(ERR_FORMAT);
    }
    String name = m.group(1);
    if (name.length() > ReferenceGrammar.NAME_MAX_LENGTH) {
      throw new InvalidReferenceException(ERR_TOO_LONG);
    }
    int slash = name.indexOf('/');
    return new DockerReference(
        name.substring(0, slash), name.substring(slash + 1), m.group(2), m.group(3));
  }

  /**
   * Java's regular expressions recurse once per repetition of a group, so a long run of path
   * components or digest-algorithm components overflows a small thread stack (the agent's is 256
   * KiB; 200 components did). The name is limited to 255 characters anyway, and a digest's
   * algorithm is a short word: both are checked before the grammar runs, which then repeats each
   * group at most about 128 times. A name over the limit is refused as too long even where its
   * format is also wrong (docker reports the format first).
   */
  private static void refuseWhatTheGrammarCannotMatchSafely(String s)
      throws InvalidReferenceException {
    int at = s.indexOf('@');
    String beforeDigest = at < 0 ? s : s.substring(0, at);
    int tagSep = beforeDigest.indexOf(':', beforeDigest.lastIndexOf('/') + 1);
    int nameLength = tagSep < 0 ? beforeDigest.length() : tagSep;
    if (nameLength > ReferenceGrammar.NAME_MAX_LENGTH) {
      throw new InvalidReferenceException(ERR_TOO_LONG);
    }
    if (at >= 0) {
      int algorithmEnd = s.indexOf(':', at);
      int algorithmLength = (algorithmEnd < 0 ? s.length() : algorithmEnd) - at - 1;
      if (algorithmLength > DIGEST_ALGORITHM_MAX_LENGTH) {
        throw new InvalidReferenceException(ERR_FORMAT);
      }
    }
  }

  public String domain() {
    return domain;
  }

  public String path() {
    return path;
  }

  public String tag() {
    return tag;
  }

  public String digest() {
    return digest;
  }

  public boolean hasTag() {
    return tag != null;
  }

  public boolean hasDigest() {
    return digest != null;
  }

  public boolean isNameOnly() {
    return tag == null && digest == null;
  }

  /** The repository: {@code docker.io/library/busybox}. */
  public String name() {
    return domain + "/" + path;
  }

  /** docker's TagNameOnly: a bare name gets {@code :latest}. */
  public DockerReference withDefaultTag() {
    return isNameOnly() ? new DockerReference(domain, path, "latest", null) : this;
  }

  /** The same repository with only the digest (how docker stores a tag+digest reference). */
  public DockerReference withoutTag() {
    return new DockerReference(domain, path, null, digest);
  }

  public static DockerReference tagged(DockerReference repo, String tag) {
    return new DockerReference(repo.domain, repo.path, tag, null);
  }

  public static DockerReference digested(DockerReference repo, String digest) {
    return new DockerReference(repo.domain, repo.path, null, digest);
  }

  /**
   * The repository as docker prints it: {@code busybox}, {@code user/app}, {@code
   * localhost:5000/x}.
   */
  public String familiarName() {
    if (domain.equals(DEFAULT_DOMAIN)) {
      return path.startsWith(OFFICIAL_REPO_PREFIX)
              && path.indexOf('/', OFFICIAL_REPO_PREFIX.length()) < 0
          ? path.substring(OFFICIAL_REPO_PREFIX.length())
          : path;
    }
    return name();
  }

  /** As docker prints it: {@code test1:latest}, {@code localhost:5000/test/busybox@sha256:...}. */
  public String familiarString() {
    return familiarName() + suffix();
  }

  /** Fully normalized: {@code docker.io/library/test1:latest}; docker orders references by this. */
  @Override
  public String toString() {
    return name() + suffix();
  }

  private String suffix() {
    return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DockerReference r && r.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return Objects.hash(toString());
  }
}
