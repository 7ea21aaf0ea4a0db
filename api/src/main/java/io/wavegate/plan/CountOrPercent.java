package io.wavegate.plan;

import io.fabric8.kubernetes.api.model.IntOrString;

/** A limit written as a count ("2") or a percent ("5%"), resolved against a total. */
public record CountOrPercent(int count, Integer percent) {

  public static CountOrPercent of(IntOrString value, int defaultCount) {
    if (value == null) {
      return new CountOrPercent(defaultCount, null);
    }
    if (value.getIntVal() != null) {
      return new CountOrPercent(value.getIntVal(), null);
    }
    String text = value.getStrVal().trim();
    if (text.endsWith("%")) {
      return new CountOrPercent(0, Integer.parseInt(text.substring(0, text.length() - 1)));
    }
    return new CountOrPercent(Integer.parseInt(text), null);
  }

  /** How many of {@code total} may be picked: percents round up, so "5%" of 10 nodes is 1 node. */
  public int pickOf(int total) {
    return Math.min(total, percent == null ? count : (int) Math.ceil(total * percent / 100.0));
  }

  /** How many of {@code total} may fail: percents round down, so "5%" of 10 nodes tolerates 0. */
  public int tolerateOf(int total) {
    return percent == null ? count : (int) Math.floor(total * percent / 100.0);
  }

  @Override
  public String toString() {
    return percent == null ? Integer.toString(count) : percent + "%";
  }
}
