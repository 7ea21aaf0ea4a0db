package io.wavegate.plugin;

import java.time.Duration;

/** How long ago, as kubectl's AGE column spells it: 90s, 5m30s, 45m, 3h4m, 20h, 2d5h, 12d, 3y45d. Pure. */
public final class Ages {

  private Ages() {}

  public static String of(Duration age) {
    long s = Math.max(0, age.toSeconds());
    long m = s / 60;
    long h = m / 60;
    long d = h / 24;
    if (s < 120) {
      return s + "s";
    }
    if (m < 10) {
      return m + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    if (m < 180) {
      return m + "m";
    }
    if (h < 8) {
      return h + "h" + (m % 60 == 0 ? "" : m % 60 + "m");
    }
    if (h < 48) {
      return h + "h";
    }
    if (h < 24 * 8) {
      return d + "d" + (h % 24 == 0 ? "" : h % 24 + "h");
    }
    if (d < 365 * 2) {
      return d + "d";
    }
    return d / 365 + "y" + (d % 365 == 0 ? "" : d % 365 + "d");
  }
}
