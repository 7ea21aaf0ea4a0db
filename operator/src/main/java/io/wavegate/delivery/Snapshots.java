package io.wavegate.delivery;

/** Names of the immutable, digest-named ConfigMaps that hold validated content. */
public final class Snapshots {

  /** Key of the content bytes in a snapshot's binaryData. */
  public static final String CONTENT_KEY = "content";
  /** Annotations on a snapshot: the full digest and the file name on nodes. */
  public static final String SHA256_ANNOTATION = "wavegate.io/sha256";
  public static final String FILE_NAME_ANNOTATION = "wavegate.io/file-name";
  public static final String CHANNEL_LABEL = "wavegate.io/channel";

  private Snapshots() {}

  public static String name(String channel, String digest) {
    return "wavegate-" + channel + "-" + NodeKeys.shortRevision(digest);
  }

  public static String reference(String namespace, String channel, String digest) {
    return namespace + "/" + name(channel, digest);
  }
}
