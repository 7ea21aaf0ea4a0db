package io.wavegate.contract.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An artifact pinned by manifest digest: {@code registry[:port]/repository@sha256:<64 hex>}. Nothing
 * here ever follows a tag.
 */
public record OciReference(String registry, String repository, String digest) {

  private static final Pattern FORM = Pattern.compile(
      "^([a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?)/([a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*)"
          + "@(sha256:[0-9a-f]{64})$");

  public static OciReference parse(String reference) {
    Matcher m = FORM.matcher(reference == null ? "" : reference);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an OCI reference pinned by manifest digest"
          + " (registry/repository@sha256:<64 hex>): " + reference);
    }
    return new OciReference(m.group(1), m.group(4), m.group(8));
  }

  /** The same repository, another object in it (a layer) by digest. */
  public OciReference withDigest(String otherDigest) {
    return new OciReference(registry, repository, otherDigest);
  }

  @Override
  public String toString() {
    return registry + "/" + repository + "@" + digest;
  }
}
