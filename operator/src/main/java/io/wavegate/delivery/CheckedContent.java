package io.wavegate.delivery;

/**
 * Content the gate passed, as its snapshot keeps it: the bytes themselves (a ConfigMap or Secret
 * source, at most 1 MiB), or the artifact reference nodes pull the same bytes from by digest (OCI).
 */
public sealed interface CheckedContent {

  record Bytes(byte[] bytes) implements CheckedContent {}

  /**
   * @param reference registry/repository@sha256:manifest; the file is the blob of the revision's digest
   * @param pullCredentials the .dockerconfigjson the gate pulled with, if any: a validator Job fetches with it
   */
  record Oci(String reference, java.util.Optional<byte[]> pullCredentials) implements CheckedContent {

    public Oci(String reference) {
      this(reference, java.util.Optional.empty());
    }
  }
}
