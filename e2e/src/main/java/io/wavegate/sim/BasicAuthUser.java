package io.wavegate.sim;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The one user the test servers behind basic auth know (Prometheus, the registry), and its bcrypt hash. */
public final class BasicAuthUser {

  public static final String USER = "wavegate";
  public static final String PASSWORD = "wavegate-test";
  public static final String PASSWORD_BCRYPT = "$2a$04$szCrRL2/det65etHZhx1j.JmLfaNrc4yLYMY2wsU9elGjfJWKHfxe";

  private BasicAuthUser() {}

  public static String header() {
    return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }
}
